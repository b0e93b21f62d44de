import { describe, expect, it } from 'vitest';
import { readText, type DownloadProgress } from './loadVocab';

/** A response whose body arrives in these chunks, as a network delivers it. */
function chunked(chunks: Uint8Array[], headers: Record<string, string> = {}): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Response(body, { headers });
}

describe('readText reports a download as it streams', () => {
  const bytes = new TextEncoder().encode('[PAD]\ncafé\n##ing\n');
  // The é (two bytes in UTF-8) is split across the first two chunks.
  const split = bytes.indexOf(0xc3) + 1;
  const chunks = [bytes.slice(0, split), bytes.slice(split, 12), bytes.slice(12)];

  it('gives bytes so far against Content-Length, and decodes characters split across chunks', async () => {
    const seen: DownloadProgress[] = [];
    const text = await readText(chunked(chunks, { 'content-length': String(bytes.length) }), (p) =>
      seen.push(p),
    );
    expect(text).toBe('[PAD]\ncafé\n##ing\n');
    expect(seen).toEqual([
      { received: 0, total: bytes.length },
      { received: split, total: bytes.length },
      { received: 12, total: bytes.length },
      { received: bytes.length, total: bytes.length },
    ]);
  });

  it('claims no total without Content-Length, or when the body is compressed', async () => {
    for (const headers of [{}, { 'content-length': '5', 'content-encoding': 'gzip' }]) {
      const seen: DownloadProgress[] = [];
      await readText(chunked(chunks, headers), (p) => seen.push(p));
      expect(seen.map((p) => p.total)).toEqual([null, null, null, null]);
      expect(seen.at(-1)!.received).toBe(bytes.length);
    }
  });

  it('drops a Content-Length the body outgrows instead of showing more than 100%', async () => {
    const seen: DownloadProgress[] = [];
    await readText(chunked(chunks, { 'content-length': '12' }), (p) => seen.push(p));
    expect(seen.map((p) => p.total)).toEqual([12, 12, 12, null]);
  });
});
