import { parseVocabText, indexVocab } from '../core/tokenizer';

export interface DownloadProgress {
  readonly received: number;
  /** Bytes expected, from Content-Length; null when the server does not say (or compressed). */
  readonly total: number | null;
}

/**
 * Reads a response body chunk by chunk, reporting the bytes so far. Content-Length counts the
 * bytes on the wire: with a Content-Encoding the decoded body is longer, so no total is claimed.
 */
export async function readText(
  response: Response,
  onProgress: (progress: DownloadProgress) => void,
): Promise<string> {
  const length = Number(response.headers.get('content-length') ?? NaN);
  const encoding = response.headers.get('content-encoding') ?? 'identity';
  const declared = encoding === 'identity' && Number.isFinite(length) && length > 0 ? length : null;
  if (!response.body) return response.text();
  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  let received = 0;
  onProgress({ received, total: declared });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    parts.push(decoder.decode(value, { stream: true }));
    onProgress({ received, total: declared !== null && received <= declared ? declared : null });
  }
  parts.push(decoder.decode());
  return parts.join('');
}

/**
 * Fetches a vocab.txt shipped under public/. The URL is resolved against the lab's asset base (the
 * store's `assetBase`: the document for the full page, the module for the web component), so the
 * built site works from any base path, and the request never leaves the lab's own origin.
 */
export async function loadVocab(
  path: string,
  base: string = document.baseURI,
  onProgress?: (progress: DownloadProgress) => void,
): Promise<string[]> {
  const url = new URL(path, base);
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`${url.pathname} answered ${response.status} ${response.statusText}`.trim());
  const tokens = parseVocabText(onProgress ? await readText(response, onProgress) : await response.text());
  indexVocab(tokens); // throws a VocabError with a clear message if the file cannot drive BERT
  return tokens;
}

export const BERT_VOCAB = { name: 'bert-base-uncased', path: 'vocab/bert-base-uncased.txt' } as const;
