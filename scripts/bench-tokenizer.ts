/**
 * Tokenizer throughput benchmark (npm run bench:tokenizer). In one process, on 5+ MB of mixed
 * English built from the lab's own text, one call per ~2 KB document:
 *   1. this tokenizer (linear-time WordPiece, `encode`);
 *   2. the plain greedy matcher (`greedyEncode`, the reference it replaced);
 *   3. the pure-JS `@huggingface/tokenizers` WordPiece, built from the same vocabulary;
 *   4. the native `tokenizers` binding (Rust via N-API), one awaited call per document.
 * All four must agree on every id. Reports medians of 5 runs, tokens/s, MB/s and ratios, plus the
 * trie build time and size. Writes bench-results/tokenizer.json and prints a markdown table.
 * Run with --expose-gc for a heap measurement: node --expose-gc --import tsx scripts/bench-tokenizer.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Tokenizer as PureJsTokenizer } from '@huggingface/tokenizers';
import type * as NativeTokenizers from 'tokenizers';
import { createBertTokenizer, indexVocab, parseVocabText } from '../src/core/tokenizer';
import { greedyEncode } from '../src/core/tokenizer/reference';
import { buildTrie } from '../src/core/tokenizer/trie';
import { bertUncasedConfig, readVocab } from './lib/bertTokenizerJson.mjs';
import { median } from './lib/stats';

const root = join(import.meta.dirname, '..');
const RUNS = 5;
const TARGET_BYTES = 5.2e6;
const native = createRequire(import.meta.url)('tokenizers') as typeof NativeTokenizers;

/** Seeded shuffle (mulberry32) so the text is the same on every run and machine. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** ~2 KB documents of shuffled sentences from the fixtures and the built-in corpus. */
function buildDocuments(): string[] {
  const lines = [
    ...readFileSync(join(root, 'scripts', 'fixtures', 'sentences.txt'), 'utf8').split('\n'),
    ...readFileSync(join(root, 'public', 'corpus', 'everyday.txt'), 'utf8').split('\n'),
  ].filter((line) => line.trim() !== '');
  const docs: string[] = [];
  let bytes = 0;
  for (let round = 0; bytes < TARGET_BYTES; round++) {
    let doc = '';
    for (const line of shuffled(lines, round)) {
      doc += `${line} `;
      if (doc.length > 2000) {
        docs.push(doc);
        bytes += Buffer.byteLength(doc);
        doc = '';
      }
    }
  }
  return docs;
}

const docs = buildDocuments();
const megabytes = docs.reduce((sum, d) => sum + Buffer.byteLength(d), 0) / 1e6;
const vocabPath = join(root, 'public', 'vocab', 'bert-base-uncased.txt');
const tokens = parseVocabText(readFileSync(vocabPath, 'utf8'));
const vocab = indexVocab(tokens);

const trieTimes: number[] = [];
let trieBytes = 0;
for (let run = 0; run < 7; run++) {
  const t0 = performance.now();
  trieBytes = buildTrie(vocab).bytes;
  trieTimes.push(performance.now() - t0);
}
const gc = (globalThis as { gc?: () => void }).gc;
// Memory the trie holds: JS heap plus the typed arrays' backing stores (which live off-heap).
gc?.();
const before = process.memoryUsage();
const retained = buildTrie(vocab);
gc?.();
const after = process.memoryUsage();
const trieMemory = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);

const ours = createBertTokenizer(tokens);
const pureJs = new PureJsTokenizer(bertUncasedConfig(readVocab(vocabPath)), {});
const nativeTokenizer = native.Tokenizer.fromString(JSON.stringify(bertUncasedConfig(readVocab(vocabPath))));

type Contender = { name: string; encode: (doc: string) => number[] | Promise<number[]> };
const contenders: Contender[] = [
  { name: 'this tokenizer (linear WordPiece)', encode: (d) => ours.encode(d) },
  { name: 'plain greedy matcher', encode: (d) => greedyEncode(d, vocab) },
  {
    name: '@huggingface/tokenizers (pure JS)',
    encode: (d) => pureJs.encode(d, { add_special_tokens: false }).ids,
  },
  {
    name: 'tokenizers (native Rust binding), per call',
    encode: async (d) => (await nativeTokenizer.encode(d, null, { addSpecialTokens: false })).getIds(),
  },
];

// Correctness first: every contender gives the same ids on every document.
const expected = docs.map((d) => ours.encode(d));
for (const c of contenders.slice(1)) {
  for (let i = 0; i < docs.length; i++) {
    const got = await c.encode(docs[i]!);
    if (got.length !== expected[i]!.length || got.some((id, k) => id !== expected[i]![k])) {
      throw new Error(`${c.name} disagrees on document ${i}`);
    }
  }
}
const tokenCount = expected.reduce((sum, ids) => sum + ids.length, 0);

const results = [];
for (const c of contenders) {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    for (const d of docs) await c.encode(d);
    times.push((performance.now() - t0) / 1000);
  }
  const seconds = median(times);
  results.push({
    name: c.name,
    seconds,
    tokensPerSecond: tokenCount / seconds,
    mbPerSecond: megabytes / seconds,
  });
}
const hfJs = results[2]!;
const report = {
  machine: `${process.platform} ${process.arch}, node ${process.version}`,
  text: { megabytes: Math.round(megabytes * 100) / 100, documents: docs.length, tokens: tokenCount },
  trie: {
    medianBuildMs: Math.round(median(trieTimes) * 10) / 10,
    typedArrayMB: Math.round((trieBytes / 1e6) * 100) / 100,
    nodes: retained.nodeCount,
    measuredMB: gc ? Math.round((trieMemory / 1e6) * 100) / 100 : null,
  },
  results: results.map((r) => ({ ...r, ratioToPureJsHf: r.tokensPerSecond / hfJs.tokensPerSecond })),
};
mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(join(root, 'bench-results', 'tokenizer.json'), `${JSON.stringify(report, null, 2)}\n`);

const fmt = (x: number, digits = 1) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
console.log(`
${report.text.megabytes} MB, ${report.text.documents.toLocaleString('en-US')} documents, ${tokenCount.toLocaleString('en-US')} tokens; all four agree on every id. Medians of ${RUNS} runs (${report.machine}).

| tokenizer | tokens/s | MB/s | × pure-JS HF |
| --- | ---: | ---: | ---: |
${report.results.map((r) => `| ${r.name} | ${fmt(r.tokensPerSecond / 1e6, 2)} M | ${fmt(r.mbPerSecond, 2)} | ${fmt(r.ratioToPureJsHf, 2)} |`).join('\n')}

Trie for 30,522 tokens: built in ${report.trie.medianBuildMs} ms (median of 7), ${report.trie.nodes.toLocaleString('en-US')} nodes, ${report.trie.typedArrayMB} MB of typed arrays${report.trie.measuredMB === null ? '' : ` (${report.trie.measuredMB} MB measured after GC)`}.
`);
