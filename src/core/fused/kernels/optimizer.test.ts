import { describe, expect, it } from 'vitest';
import { embeddingBlocks, KIND_CODE, SEGMENT_WORDS, segmentTable, type Segment } from './optimizer';

const H = 4;
const SEGMENTS: Segment[] = [
  { offset: 0, length: 10 * H, kind: 'embedding', rowWidth: H }, // token: 10 rows
  { offset: 64, length: 2 * H, kind: 'embedding', rowWidth: H }, // segment: 2 rows
  { offset: 128, length: H, kind: 'normGamma', rowWidth: H },
  { offset: 192, length: 3 * H, kind: 'embedding', rowWidth: H }, // position: 3 rows
  { offset: 256, length: 7, kind: 'bias', rowWidth: 0 },
];

describe('segmentTable', () => {
  it('packs the embedding tables one after another: row flags by rows, Δθ by elements', () => {
    expect(embeddingBlocks(SEGMENTS)).toEqual([
      { segment: 0, rows: 10, rowWidth: H, rowFlagOffset: 0, deltaOffset: 0 },
      { segment: 1, rows: 2, rowWidth: H, rowFlagOffset: 10, deltaOffset: 10 * H },
      { segment: 3, rows: 3, rowWidth: H, rowFlagOffset: 12, deltaOffset: 12 * H },
    ]);
  });

  it('writes [offset, length, kind, rowWidth, rowFlagOffset, deltaOffset, 0, 0] per segment', () => {
    const table = segmentTable(SEGMENTS);
    expect(table.length).toBe(SEGMENTS.length * SEGMENT_WORDS);
    const row = (k: number) => Array.from(table.subarray(k * SEGMENT_WORDS, (k + 1) * SEGMENT_WORDS));
    expect(row(1)).toEqual([64, 2 * H, KIND_CODE.embedding, H, 10, 10 * H, 0, 0]);
    expect(row(2)).toEqual([128, H, KIND_CODE.normGamma, 0, 0, 0, 0, 0]);
    expect(row(3)).toEqual([192, 3 * H, KIND_CODE.embedding, H, 12, 12 * H, 0, 0]);
    expect(row(4)).toEqual([256, 7, KIND_CODE.bias, 0, 0, 0, 0, 0]);
  });

  it('rejects overlapping or unsorted segments and tables that are not whole rows', () => {
    const overlap = [SEGMENTS[0]!, { ...SEGMENTS[1]!, offset: 8 }];
    expect(() => segmentTable(overlap)).toThrow(RangeError);
    expect(() => segmentTable([SEGMENTS[1]!, SEGMENTS[0]!])).toThrow(RangeError);
    expect(() => segmentTable([{ offset: 0, length: 10, kind: 'embedding', rowWidth: 4 }])).toThrow(
      RangeError,
    );
  });
});
