/**
 * The saved-session file: a small binary container, so a bert-tiny session with Adam (3 × 4.4 M
 * floats, 53 MB) is stored as its raw float32 bytes rather than as 71 MB of base64 inside JSON,
 * and is read back as typed-array views without parsing a single number.
 *
 *   bytes 0-7    magic  89 42 4C 53 0D 0A 1A 0A  ("\x89BLS\r\n\x1a\n", PNG-style: a text-mode
 *                       transfer that rewrites line ends or drops the high bit is caught)
 *   bytes 8-11   format version, uint32 little-endian
 *   bytes 12-15  header length in bytes, uint32 LE
 *   then         the header: UTF-8 JSON (settings, vocabulary, history, array names, shapes,
 *                dtypes and offsets), zero-padded to a multiple of 8
 *   then         the payload: the arrays, little-endian, each at its header offset
 *   last 4 bytes CRC-32 of everything before it
 *
 * Decoding checks, in order: length, magic, version, header, total length, checksum, and every
 * array's bounds, alignment and length against its shape. What the header means is checked by
 * `schema.ts`.
 */
import { crc32 } from './crc32';

const SESSION_MAGIC = Uint8Array.of(0x89, 0x42, 0x4c, 0x53, 0x0d, 0x0a, 0x1a, 0x0a);
export const SESSION_FORMAT_VERSION = 1;
/** Larger than any preset's session with two optimizers' state; a bigger file is not ours. */
const MAX_SESSION_FILE_BYTES = 512 * 1024 * 1024;
const PREAMBLE_BYTES = 16;
const CHECKSUM_BYTES = 4;

export type SessionFileErrorCode =
  | 'empty'
  | 'too-large'
  | 'foreign'
  | 'newer-version'
  | 'truncated'
  | 'checksum'
  | 'header'
  | 'arrays'
  | 'values';

/** Why a file or a stored record is refused; `code` lets tests and the page tell the cases apart. */
export class SessionFileError extends Error {
  override name = 'SessionFileError';
  constructor(
    readonly code: SessionFileErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const DTYPES = ['float32', 'int32', 'uint32', 'uint8'] as const;
export type ArrayDType = (typeof DTYPES)[number];
export type TypedArray = Float32Array | Int32Array | Uint32Array | Uint8Array;

const BYTES_PER: Record<ArrayDType, number> = { float32: 4, int32: 4, uint32: 4, uint8: 1 };

/** Where one array lies in the payload. */
export interface ArrayEntry {
  readonly name: string;
  readonly dtype: ArrayDType;
  readonly shape: readonly number[];
  /** Byte offset from the start of the payload, a multiple of 4. */
  readonly offset: number;
}

/** The part of the header the container itself reads; the rest belongs to `schema.ts`. */
export interface ContainerHeader {
  readonly arrays: readonly ArrayEntry[];
  readonly payloadBytes: number;
}

function dtypeOf(values: TypedArray): ArrayDType {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof Uint32Array) return 'uint32';
  return 'uint8';
}

const elements = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const align4 = (n: number) => Math.ceil(n / 4) * 4;

// Typed arrays use the platform's byte order; every browser platform is little-endian, and the
// file is defined as little-endian, so a big-endian machine would need a conversion it lacks.
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Lays named arrays out one after another: the `arrays` table and the payload bytes. */
export function packArrays(
  named: readonly { name: string; values: TypedArray; shape?: readonly number[] }[],
): {
  arrays: ArrayEntry[];
  payload: ArrayBuffer;
} {
  if (!LITTLE_ENDIAN) throw new Error('Saving sessions needs a little-endian machine.');
  let offset = 0;
  const arrays = named.map(({ name, values, shape }) => {
    const entry: ArrayEntry = { name, dtype: dtypeOf(values), shape: shape ?? [values.length], offset };
    offset = align4(offset + values.byteLength);
    return entry;
  });
  const payload = new Uint8Array(offset);
  named.forEach(({ values }, i) =>
    payload.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), arrays[i]!.offset),
  );
  return { arrays, payload: payload.buffer };
}

function fail(code: SessionFileErrorCode, message: string): never {
  throw new SessionFileError(code, message);
}

/** Checks the array table against the payload and returns a view of each array, by name. */
export function readArrays(header: ContainerHeader, payload: ArrayBuffer): Map<string, TypedArray> {
  if (!LITTLE_ENDIAN) throw new Error('Loading sessions needs a little-endian machine.');
  if (!Array.isArray(header.arrays)) fail('header', 'The file lists no arrays.');
  const out = new Map<string, TypedArray>();
  let end = 0;
  for (const entry of header.arrays as readonly unknown[]) {
    const e = entry as Partial<ArrayEntry> | null;
    const name = typeof e?.name === 'string' ? e.name.slice(0, 80) : '?';
    if (
      typeof e?.name !== 'string' ||
      !DTYPES.includes(e.dtype as ArrayDType) ||
      !Array.isArray(e.shape) ||
      !e.shape.every((d) => Number.isInteger(d) && d >= 0) ||
      !Number.isInteger(e.offset)
    )
      fail('arrays', `Array "${name}" has a malformed description.`);
    const { dtype, shape, offset } = e as ArrayEntry;
    if (out.has(name)) fail('arrays', `Array "${name}" appears twice.`);
    const count = elements(shape);
    const bytes = count * BYTES_PER[dtype];
    // Arrays are laid out in order without overlap, as packArrays writes them.
    if (offset % 4 !== 0 || offset < end)
      fail('arrays', `Array "${name}" starts at byte ${offset}, which overlaps or is misaligned.`);
    if (offset + bytes > payload.byteLength)
      fail('truncated', `Array "${name}" (${shape.join('×')} ${dtype}) runs past the end of the data.`);
    end = offset + bytes;
    const view =
      dtype === 'float32'
        ? new Float32Array(payload, offset, count)
        : dtype === 'int32'
          ? new Int32Array(payload, offset, count)
          : dtype === 'uint32'
            ? new Uint32Array(payload, offset, count)
            : new Uint8Array(payload, offset, count);
    if (view instanceof Float32Array) {
      for (let i = 0; i < view.length; i++)
        if (!Number.isFinite(view[i]!))
          fail('values', `Array "${name}" holds a non-finite number (${view[i]}) at index ${i}.`);
    }
    out.set(name, view);
  }
  return out;
}

/** The file's bytes, as Blob parts: nothing is copied into one big buffer. */
export function encodeSessionFile(header: ContainerHeader & object, payload: ArrayBuffer): Uint8Array[] {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = Math.ceil(json.length / 8) * 8;
  const preamble = new Uint8Array(PREAMBLE_BYTES + headerBytes);
  preamble.set(SESSION_MAGIC, 0);
  const view = new DataView(preamble.buffer);
  view.setUint32(8, SESSION_FORMAT_VERSION, true);
  view.setUint32(12, json.length, true);
  preamble.set(json, PREAMBLE_BYTES);
  const body = new Uint8Array(payload);
  const checksum = new Uint8Array(CHECKSUM_BYTES);
  new DataView(checksum.buffer).setUint32(0, crc32(body, crc32(preamble)), true);
  return [preamble, body, checksum];
}

/** The parts of `encodeSessionFile` as one buffer (tests; a download takes the parts as a Blob). */
export function joinParts(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface DecodedSessionFile {
  readonly version: number;
  /** The parsed JSON header, with a well-formed `arrays` table and `payloadBytes`. */
  readonly header: ContainerHeader & Record<string, unknown>;
  /** A copy of the payload, so the file's buffer can be dropped. */
  readonly payload: ArrayBuffer;
  /** Views of the payload's arrays, by name, checked for bounds and finite values. */
  readonly arrays: Map<string, TypedArray>;
}

/** Reads and checks a session file; throws a SessionFileError that says what is wrong. */
export function decodeSessionFile(buffer: ArrayBuffer): DecodedSessionFile {
  const bytes = new Uint8Array(buffer);
  if (bytes.length === 0) fail('empty', 'The file is empty.');
  if (bytes.length > MAX_SESSION_FILE_BYTES)
    fail('too-large', `The file is ${Math.round(bytes.length / 2 ** 20)} MB, larger than any saved session.`);
  const magicLength = Math.min(bytes.length, SESSION_MAGIC.length);
  for (let i = 0; i < magicLength; i++)
    if (bytes[i] !== SESSION_MAGIC[i])
      fail('foreign', 'This is not a BERT Embedding Lab session file (its first bytes are different).');
  if (bytes.length < PREAMBLE_BYTES + CHECKSUM_BYTES)
    fail('truncated', `The file is cut short: ${bytes.length} bytes, not even a header.`);
  const view = new DataView(buffer);
  const version = view.getUint32(8, true);
  if (version > SESSION_FORMAT_VERSION)
    fail(
      'newer-version',
      `The file is format version ${version}, made by a newer version of the lab; this one reads version ${SESSION_FORMAT_VERSION}.`,
    );
  if (version < 1) fail('header', `The file claims format version ${version}, which never existed.`);
  const jsonLength = view.getUint32(12, true);
  const headerBytes = Math.ceil(jsonLength / 8) * 8;
  if (PREAMBLE_BYTES + headerBytes + CHECKSUM_BYTES > bytes.length)
    fail('truncated', 'The file is cut short inside its header.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(16, 16 + jsonLength)),
    );
  } catch {
    fail('header', 'The file’s header is not valid JSON; the file is damaged.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    fail('header', 'The file’s header is not an object.');
  const header = parsed as Record<string, unknown>;
  const payloadBytes = header.payloadBytes;
  if (typeof payloadBytes !== 'number' || !Number.isInteger(payloadBytes) || payloadBytes < 0)
    fail('header', 'The file’s header does not say how long its data is.');
  const payloadStart = PREAMBLE_BYTES + headerBytes;
  const expected = payloadStart + payloadBytes + CHECKSUM_BYTES;
  if (bytes.length < expected)
    fail(
      'truncated',
      `The file is cut short: ${bytes.length.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')} bytes.`,
    );
  if (bytes.length > expected)
    fail(
      'header',
      `The file has ${(bytes.length - expected).toLocaleString('en-US')} bytes more than its header describes.`,
    );
  const stored = view.getUint32(expected - CHECKSUM_BYTES, true);
  if (crc32(bytes.subarray(0, expected - CHECKSUM_BYTES)) !== stored)
    fail('checksum', 'The file is damaged: its checksum does not match its contents.');
  const payload = buffer.slice(payloadStart, payloadStart + payloadBytes);
  const container = header as ContainerHeader & Record<string, unknown>;
  return { version, header: container, payload, arrays: readArrays(container, payload) };
}
