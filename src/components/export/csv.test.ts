import { describe, expect, it } from 'vitest';
import { csvCell, f32, numbers, plainNumber, toCsv } from './csv';

/** An RFC 4180 reader, to check that what toCsv writes reads back as the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('plain decimal numbers', () => {
  it.each([
    [1.5e-7, '0.00000015'],
    [-2.5e-10, '-0.00000000025'],
    [1e21, '1000000000000000000000'],
    [1.2345e25, '12345000000000000000000000'],
    [123.456, '123.456'],
    [-0.5, '-0.5'],
    [0, '0'],
    [42, '42'],
  ])('writes %s as %s', (n, expected) => {
    expect(plainNumber(n)).toBe(expected);
    expect(Number(plainNumber(n))).toBe(n);
  });

  it('writes non-finite numbers by name', () => {
    expect(plainNumber(NaN)).toBe('NaN');
    expect(plainNumber(-Infinity)).toBe('-Infinity');
  });

  it('reads back exactly for many random magnitudes', () => {
    for (let i = 0; i < 2000; i++) {
      const n = (Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 60 - 30);
      const text = plainNumber(n);
      expect(text).not.toMatch(/e/i);
      expect(Number(text)).toBe(n);
    }
  });
});

describe('float32 in its shortest form', () => {
  it('writes a Float32Array’s 0.1 as 0.1, and stays the same float32', () => {
    const stored = Float32Array.of(0.1, -1 / 3, 1e-8, 12345.678)[0]!;
    expect(stored).not.toBe(0.1);
    expect(f32(stored)).toBe(0.1);
    for (const x of Float32Array.of(0.1, -1 / 3, 1e-8, 12345.678, 3.4e38)) {
      expect(Math.fround(f32(x))).toBe(x);
      expect(
        String(f32(x))
          .replace(/[-.]|e.*$/g, '')
          .replace(/^0+/, '').length,
      ).toBeLessThanOrEqual(9);
    }
  });

  it('numbers() copies typed arrays into plain arrays', () => {
    const plain = numbers(Float32Array.of(0.1, 2));
    expect(Array.isArray(plain)).toBe(true);
    expect(plain).toEqual([0.1, 2]);
    expect(numbers(Uint32Array.of(7, 8))).toEqual([7, 8]);
  });
});

describe('CSV cells', () => {
  it('quotes commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('one\ntwo')).toBe('"one\ntwo"');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(' padded ')).toBe('" padded "');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
  });

  it('leaves numbers alone, negative ones included', () => {
    expect(csvCell(-0.25)).toBe('-0.25');
    expect(csvCell(3e-7)).toBe('0.0000003');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
  });
});

describe('toCsv', () => {
  it('writes a header and one CRLF line per row, and reads back the same cells', () => {
    const tricky = ['a,b', 'say "hi"', 'line\nbreak', '=1+1', '##ing', '[CLS]', 'naïveté'];
    const csv = toCsv(
      ['token', 'value'],
      tricky.map((t, i) => [t, i / 3]),
    );
    expect(csv.startsWith('token,value\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(tricky.length + 1);
    expect(rows[0]).toEqual(['token', 'value']);
    rows.slice(1).forEach((row, i) => {
      const expected = tricky[i]!.startsWith('=') ? `'${tricky[i]}` : tricky[i];
      expect(row[0]).toBe(expected);
      expect(Number(row[1])).toBe(i / 3);
    });
  });

  it('refuses a row of the wrong length', () => {
    expect(() => toCsv(['a', 'b'], [[1]])).toThrow(/1 cells but the header has 2/);
  });
});
