/**
 * The value kinds a shared parameter can have. Each kind reads a value two ways, from the text of a
 * URL parameter and from an untrusted structured value (a postMessage payload), and bounds it the
 * same way for both, so a link and a message can never put more into the store than the form can.
 */

/** A value that was accepted, perhaps after clamping or truncating (then with a notice), or refused. */
export type Checked<T> =
  | { readonly ok: true; readonly value: T; readonly notice?: string }
  | { readonly ok: false; readonly notice: string };

export interface Spec<T> {
  /** The value a fresh page has; links omit it. */
  readonly default: T;
  /** Words for the README table and the notices: "a whole number from 0 to 2,000". */
  readonly describe: string;
  parse(raw: string): Checked<T>;
  check(value: unknown): Checked<T>;
  format(value: T): string;
  equals(a: T, b: T): boolean;
}

/** Values shown back in a notice are cut short: a notice quotes, it never echoes a whole payload. */
export function quote(raw: unknown): string {
  const text = typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? String(raw));
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

const count = (n: number) => n.toLocaleString('en-US');
/** Decimal numbers only: Number() would also take '0x10', '' and ' '. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const same = <T>(a: T, b: T) => a === b;

/** An enumeration: anything outside the list is refused. */
export function oneOf<const T extends string>(values: readonly T[], fallback: T): Spec<T> {
  const describe = `one of ${values.join(', ')}`;
  const check = (value: unknown): Checked<T> =>
    typeof value === 'string' && (values as readonly string[]).includes(value)
      ? { ok: true, value: value as T }
      : { ok: false, notice: `${quote(value)} is not ${describe}` };
  return { default: fallback, describe, parse: check, check, format: String, equals: same };
}

/**
 * A number between min and max, whole or not. Out-of-range numbers are clamped with a notice (an
 * absurd step count becomes the largest allowed one); anything that is not a number is refused.
 */
export function numberIn(
  min: number,
  max: number,
  fallback: number,
  options: { readonly integer: boolean },
): Spec<number> {
  const describe = options.integer
    ? `a whole number from ${count(min)} to ${count(max)}`
    : `a number from ${min} to ${max}`;
  const check = (value: unknown): Checked<number> => {
    if (typeof value !== 'number' || Number.isNaN(value))
      return { ok: false, notice: `${quote(value)} is not ${describe}` };
    if (options.integer && Number.isFinite(value) && !Number.isInteger(value))
      return { ok: false, notice: `${quote(value)} is not ${describe}` };
    if (value < min) return { ok: true, value: min, notice: `${quote(value)} is below ${min}; using ${min}` };
    if (value > max) return { ok: true, value: max, notice: `${quote(value)} is above ${max}; using ${max}` };
    return { ok: true, value };
  };
  return {
    default: fallback,
    describe,
    parse: (raw) =>
      DECIMAL.test(raw.trim())
        ? check(Number(raw))
        : { ok: false, notice: `${quote(raw)} is not ${describe}` },
    check,
    format: String,
    equals: same,
  };
}

/** A whole number or nothing: an empty parameter, or null in a message, means nothing. */
export function optionalNumberIn(min: number, max: number, fallback: number | null): Spec<number | null> {
  const inner = numberIn(min, max, min, { integer: true });
  return {
    default: fallback,
    describe: `${inner.describe}, or empty for none`,
    parse: (raw) => (raw.trim() === '' ? { ok: true, value: null } : inner.parse(raw)),
    check: (value) => (value === null ? { ok: true, value: null } : inner.check(value)),
    format: (value) => (value === null ? '' : String(value)),
    equals: same,
  };
}

/** true or false; a URL may say 1 or 0. */
export function flag(fallback: boolean): Spec<boolean> {
  const words: Readonly<Record<string, boolean>> = { '1': true, true: true, '0': false, false: false };
  return {
    default: fallback,
    describe: '1 or 0',
    parse: (raw) => {
      const value = words[raw.trim().toLowerCase()];
      return value === undefined ? { ok: false, notice: `${quote(raw)} is not 1 or 0` } : { ok: true, value };
    },
    check: (value) =>
      typeof value === 'boolean'
        ? { ok: true, value }
        : { ok: false, notice: `${quote(value)} is not true or false` },
    format: (value) => (value ? '1' : '0'),
    equals: same,
  };
}

/** Text up to `cap` characters; longer text is cut to the cap with a notice, never refused whole. */
export function text(cap: number, fallback: string): Spec<string> {
  const check = (value: unknown): Checked<string> => {
    if (typeof value !== 'string') return { ok: false, notice: `${quote(value)} is not text` };
    if (value.length <= cap) return { ok: true, value };
    return {
      ok: true,
      value: value.slice(0, cap),
      notice: `${count(value.length)} characters is more than ${count(cap)}; the text was cut to ${count(cap)}`,
    };
  };
  return {
    default: fallback,
    describe: `text, up to ${count(cap)} characters`,
    parse: check,
    check,
    format: String,
    equals: same,
  };
}

/**
 * Word pieces separated by spaces (a piece never holds whitespace; "," and "#" are pieces or part of
 * them, so they cannot separate): at most `maxItems`, each at most `maxChars`, repeats dropped.
 */
export function pieceList(
  maxItems: number,
  maxChars: number,
  fallback: readonly string[],
): Spec<readonly string[]> {
  const describe = `up to ${maxItems} word pieces separated by spaces`;
  const bounded = (items: readonly string[]): Checked<readonly string[]> => {
    const unique = [...new Set(items)];
    const long = unique.find((p) => p.length > maxChars);
    if (long !== undefined)
      return { ok: false, notice: `${quote(long)} is longer than a word piece (${maxChars} characters)` };
    if (unique.length <= maxItems) return { ok: true, value: unique };
    return {
      ok: true,
      value: unique.slice(-maxItems),
      notice: `${unique.length} pieces is more than ${maxItems}; the last ${maxItems} were kept`,
    };
  };
  return {
    default: fallback,
    describe,
    parse: (raw) => bounded(raw.split(/\s+/).filter((p) => p !== '')),
    check: (value) =>
      Array.isArray(value) && value.every((p) => typeof p === 'string' && p.trim() === p && p !== '')
        ? bounded(value as string[])
        : { ok: false, notice: `${quote(value)} is not ${describe}` },
    format: (value) => value.join(' '),
    equals: (a, b) => a.length === b.length && a.every((p, i) => p === b[i]),
  };
}
