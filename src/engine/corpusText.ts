/**
 * Reading a corpus safely: size limits before anything is read, and a check that refuses binary
 * files instead of training a vocabulary of garbage.
 */
import { MAX_CORPUS_BYTES, type CorpusSource } from './vocabProtocol';

export class CorpusError extends Error {
  override name = 'CorpusError';
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function tooLarge(bytes: number): CorpusError {
  return new CorpusError(
    `The corpus is ${megabytes(bytes)}; the lab trains on up to ${megabytes(MAX_CORPUS_BYTES)}. Use a shorter text.`,
  );
}

/**
 * Share of characters that cannot be text: U+FFFD from invalid UTF-8, NUL and other C0 controls
 * except tab, newlines and form feed. Text files score about 0; binary files score far higher.
 */
function unprintableShare(text: string): number {
  const sample = text.length > 200_000 ? text.slice(0, 200_000) : text;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c)) bad++;
  }
  return sample.length === 0 ? 0 : bad / sample.length;
}

export async function readCorpus(
  source: CorpusSource,
): Promise<{ name: string; text: string; bytes: number }> {
  let name: string;
  let text: string;
  if (source.kind === 'file') {
    name = source.file.name;
    if (source.file.size > MAX_CORPUS_BYTES) throw tooLarge(source.file.size);
    text = new TextDecoder('utf-8').decode(await source.file.arrayBuffer());
  } else if (source.kind === 'url') {
    name = source.name;
    const response = await fetch(source.url);
    if (!response.ok)
      throw new CorpusError(`Could not load ${source.name}: ${response.status} ${response.statusText}`);
    text = await response.text();
  } else {
    name = source.name;
    // A UTF-8 byte is at most one UTF-16 unit, so this check is safe before encoding anything.
    if (source.text.length > MAX_CORPUS_BYTES) throw tooLarge(source.text.length);
    text = source.text;
  }
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_CORPUS_BYTES) throw tooLarge(bytes);
  if (text.trim() === '')
    throw new CorpusError(
      'The corpus is empty. Paste some text, drop a text file, or pick the built-in corpus.',
    );
  const share = unprintableShare(text);
  if (share > 0.02) {
    throw new CorpusError(
      `This does not look like text: ${Math.round(share * 100)}% of its characters are not printable (a binary file?). Choose a UTF-8 text file.`,
    );
  }
  return { name, text, bytes };
}
