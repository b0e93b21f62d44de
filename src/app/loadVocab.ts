import { parseVocabText, indexVocab } from '../core/tokenizer';

/**
 * Fetches a vocab.txt shipped under public/. The URL is resolved against the document, so the
 * built site works from any base path, and the request never leaves the page's own origin.
 */
export async function loadVocab(path: string): Promise<string[]> {
  const url = new URL(path, document.baseURI);
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`${url.pathname} answered ${response.status} ${response.statusText}`.trim());
  const tokens = parseVocabText(await response.text());
  indexVocab(tokens); // throws a VocabError with a clear message if the file cannot drive BERT
  return tokens;
}

export const BERT_VOCAB = { name: 'bert-base-uncased', path: 'vocab/bert-base-uncased.txt' } as const;
