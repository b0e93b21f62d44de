/**
 * CSV as RFC 4180 writes it, made safe to open in a spreadsheet: a header row, CRLF line ends,
 * quotes around cells that need them, numbers as plain decimals (never 1e-7), and text cells that a
 * spreadsheet would run as a formula (OWASP "CSV injection": = + - @ tab CR) prefixed with '.
 */

export type CsvCell = string | number | boolean | null | undefined;

/**
 * A decimal without an exponent for a number's shortest round-trip form: 1.5e-7 → "0.00000015",
 * 1e21 → "1000000000000000000000". Non-finite numbers are written as NaN, Infinity, -Infinity.
 */
export function plainNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const s = String(n);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const negative = s.startsWith('-');
  const mantissa = s.slice(negative ? 1 : 0, e);
  const exponent = Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  // Where the decimal point falls in `digits` once the exponent is applied.
  const point = (dot < 0 ? mantissa.length : dot) + exponent;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${out}` : out;
}

/**
 * The shortest decimal that reads back as the same float32: a Float32Array's 0.1 is the double
 * 0.10000000149011612, which is written as 0.1. Returned as a number so JSON can carry it.
 */
export function f32(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const single = Math.fround(x);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) return candidate;
  }
  return single;
}

/** Plain number arrays from typed arrays; float32 data is written in its shortest float32 form. */
export function numbers(values: ArrayLike<number>): number[] {
  return values instanceof Float32Array ? Array.from(values, f32) : Array.from(values);
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return plainNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV file: the header, then one line per row. Rows must have the header's length. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) {
    if (row.length !== header.length) {
      throw new RangeError(`A CSV row has ${row.length} cells but the header has ${header.length}.`);
    }
    lines.push(row.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
