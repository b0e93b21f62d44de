import { describe, expect, it } from 'vitest';
import {
  decodeSessionFile,
  encodeSessionFile,
  joinParts,
  packArrays,
  SESSION_FORMAT_VERSION,
  SessionFileError,
  type SessionFileErrorCode,
} from './format';

const weights = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 1e-3);
function sample(extra: Record<string, unknown> = {}): Uint8Array<ArrayBuffer> {
  const { arrays, payload } = packArrays([
    { name: 'w', values: weights, shape: [10, 100] },
    { name: 'causes', values: Uint8Array.of(0, 1, 2, 3, 3) },
    { name: 'counts', values: Uint32Array.of(4, 5, 6) },
    { name: 'ids', values: Int32Array.of(-1, 7) },
  ]);
  const header = { arrays, payloadBytes: payload.byteLength, note: 'héllo ✓', ...extra };
  return joinParts(encodeSessionFile(header, payload));
}

/** The error code decoding these bytes throws. */
function codeOf(bytes: Uint8Array): SessionFileErrorCode | 'none' {
  try {
    decodeSessionFile(bytes.slice().buffer);
    return 'none';
  } catch (error) {
    if (error instanceof SessionFileError) return error.code;
    throw error;
  }
}

describe('the session file format', () => {
  it('round-trips the header and every array bit for bit, whatever the dtype', () => {
    const file = decodeSessionFile(sample().buffer);
    expect(file.version).toBe(SESSION_FORMAT_VERSION);
    expect(file.header.note).toBe('héllo ✓');
    expect(file.arrays.get('w')).toEqual(weights);
    expect(file.arrays.get('causes')).toEqual(Uint8Array.of(0, 1, 2, 3, 3));
    expect(file.arrays.get('counts')).toEqual(Uint32Array.of(4, 5, 6));
    expect(file.arrays.get('ids')).toEqual(Int32Array.of(-1, 7));
    expect(file.header.arrays.find((a) => a.name === 'w')?.shape).toEqual([10, 100]);
  });

  it('starts with the magic bytes and the version, little-endian', () => {
    const bytes = sample();
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x89, 0x42, 0x4c, 0x53, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(new DataView(bytes.buffer).getUint32(8, true)).toBe(1);
  });

  it('says "empty" for an empty file', () => {
    expect(codeOf(new Uint8Array(0))).toBe('empty');
  });

  it('says "foreign" for a file of another kind: text, PNG, a zip', () => {
    expect(codeOf(new TextEncoder().encode('{"name": "not ours"}'))).toBe('foreign');
    expect(codeOf(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0))).toBe('foreign');
    expect(codeOf(Uint8Array.of(0x50, 0x4b, 3, 4))).toBe('foreign');
    // A transfer that rewrote \r\n as \n shifts the magic.
    const bytes = sample();
    expect(codeOf(Uint8Array.from([...bytes.subarray(0, 4), ...bytes.subarray(5)]))).toBe('foreign');
  });

  it('says "newer-version" for a file from a later format, and names both versions', () => {
    const bytes = sample();
    new DataView(bytes.buffer).setUint32(8, SESSION_FORMAT_VERSION + 1, true);
    expect(codeOf(bytes)).toBe('newer-version');
    expect(() => decodeSessionFile(bytes.buffer)).toThrow(/version 2.*reads version 1/);
  });

  it('says "truncated" for a file cut anywhere: in the magic, the header or the arrays', () => {
    const bytes = sample();
    for (const length of [3, 12, 40, Math.floor(bytes.length / 2), bytes.length - 1])
      expect(codeOf(bytes.subarray(0, length)), `cut at ${length}`).toBe('truncated');
  });

  it('says "checksum" when a byte of the weights changed', () => {
    const bytes = sample();
    bytes[bytes.length - 100]! ^= 0x10;
    expect(codeOf(bytes)).toBe('checksum');
  });

  it('says "header" for a damaged header or trailing bytes', () => {
    const bytes = sample();
    bytes[20] = 0xff; // invalid UTF-8 inside the JSON
    expect(codeOf(bytes)).toBe('header');
    expect(codeOf(joinParts([sample(), Uint8Array.of(0)]))).toBe('header');
  });

  it('says "arrays" for an array table that overlaps, and "truncated" for one past the end', () => {
    const payload = new Float32Array(4).buffer;
    const overlap = joinParts(
      encodeSessionFile(
        {
          arrays: [
            { name: 'a', dtype: 'float32', shape: [2], offset: 0 },
            { name: 'b', dtype: 'float32', shape: [2], offset: 4 },
          ],
          payloadBytes: 16,
        },
        payload,
      ),
    );
    expect(codeOf(overlap)).toBe('arrays');
    const past = joinParts(
      encodeSessionFile(
        { arrays: [{ name: 'a', dtype: 'float32', shape: [2, 3], offset: 0 }], payloadBytes: 16 },
        payload,
      ),
    );
    expect(codeOf(past)).toBe('truncated');
  });

  it('says "values" for weights that are NaN or infinite', () => {
    const { arrays, payload } = packArrays([{ name: 'w', values: Float32Array.of(1, NaN, 2) }]);
    const bytes = joinParts(encodeSessionFile({ arrays, payloadBytes: payload.byteLength }, payload));
    expect(codeOf(bytes)).toBe('values');
    expect(() => decodeSessionFile(bytes.buffer)).toThrow(/"w" holds a non-finite number \(NaN\) at index 1/);
  });

  it('survives random garbage after the magic with a SessionFileError, never another error', () => {
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const magic = sample().subarray(0, 8);
    for (let trial = 0; trial < 200; trial++) {
      const garbage = Uint8Array.from({ length: 8 + Math.floor(random() * 300) }, () =>
        Math.floor(random() * 256),
      );
      garbage.set(magic);
      expect(codeOf(garbage)).not.toBe('none');
    }
  });
});
