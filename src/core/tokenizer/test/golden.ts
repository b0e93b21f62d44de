/** The golden fixtures made by scripts/gen-tokenizer-fixtures.mjs, typed, for unit and e2e tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SingleFixture {
  name: string;
  text: string;
  tokens: string[];
  ids: number[];
  /** [start, end) in UTF-16 units of `text`, per piece. */
  offsets: [number, number][];
}

export interface PairFixture {
  name: string;
  a: string;
  /** Absent: `[CLS] A [SEP]` only. */
  b?: string;
  maxLength?: number;
  padTo?: number;
  tokens: string[];
  ids: number[];
  typeIds: number[];
  attentionMask: number[];
  /** `b` is omitted when sentence B is absent. */
  truncated: { a: number; b?: number };
}

export interface Golden {
  reference: string;
  single: SingleFixture[];
  pairs: PairFixture[];
  /** Texts with special tokens typed literally ("[MASK]"), which HF matches as added tokens. */
  addedTokenCases: SingleFixture[];
}

export function loadGolden(): Golden {
  return JSON.parse(
    readFileSync(join(import.meta.dirname, '..', '__fixtures__', 'golden.json'), 'utf8'),
  ) as Golden;
}
