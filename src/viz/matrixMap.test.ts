import { describe, expect, it } from 'vitest';
import { frequencyGroups } from './frequencyPlot';
import {
  causePalette,
  cellAt,
  drawMatrixMap,
  matrixGrid,
  MAX_ZOOM,
  OUTLINE_SCALE,
  zoomByWheel,
} from './matrixMap';
import { DARK_THEME, LIGHT_THEME } from './theme';

describe('matrixGrid', () => {
  it('lays bert-base-uncased’s 30,522 rows out in a 175 × 175 grid', () => {
    expect(matrixGrid(30522)).toEqual({ columns: 175, rows: 175 });
  });

  it('uses a square for a square number of rows', () => {
    expect(matrixGrid(1000)).toEqual({ columns: 32, rows: 32 });
  });
});

describe('cellAt', () => {
  const grid = matrixGrid(10); // 4 columns, 3 rows, the last two cells empty

  it('maps a point to the cell under it, row by row', () => {
    expect(cellAt(grid, 0, 0, 10)).toBe(0);
    expect(cellAt(grid, 0.99, 0.4, 10)).toBe(7);
  });

  it('returns null outside the map and on the empty cells after the last row', () => {
    expect(cellAt(grid, 1, 0, 10)).toBeNull();
    expect(cellAt(grid, -0.1, 0, 10)).toBeNull();
    expect(cellAt(grid, 0.9, 0.9, 10)).toBeNull();
  });
});

describe('frequencyGroups', () => {
  it('groups rows by (frequency, lookup steps) and leaves out rows never seen', () => {
    const groups = frequencyGroups({ frequency: [0, 3, 3, 1], lookupSteps: [0, 2, 2, 1] });
    expect(groups).toEqual([
      { x: 3, y: 2, rows: 2 },
      { x: 1, y: 1, rows: 1 },
    ]);
  });
});

describe('zoomByWheel', () => {
  it('zooms in on a wheel turned up and out on one turned down, at most ×2 an event', () => {
    expect(zoomByWheel(2, -100)).toBe(4);
    expect(zoomByWheel(2, 100)).toBe(1);
    expect(zoomByWheel(2, -10)).toBeCloseTo(2 * Math.exp(0.1), 10);
  });

  it('stays between 1 and MAX_ZOOM', () => {
    expect(zoomByWheel(1, 50)).toBe(1);
    expect(zoomByWheel(MAX_ZOOM, -50)).toBe(MAX_ZOOM);
  });

  it('reads line-mode deltas as 16 px lines', () => {
    expect(zoomByWheel(1, -3, 1)).toBeCloseTo(Math.exp(0.48), 10);
  });
});

/** A canvas stand-in that keeps the ImageData it is given: enough for drawMatrixMap. */
function fakeCanvas() {
  const canvas = {
    width: 0,
    height: 0,
    drawn: null as ImageData | null,
    getContext: () => ({
      createImageData: (w: number, h: number) => ({
        width: w,
        height: h,
        data: new Uint8ClampedArray(w * h * 4),
      }),
      putImageData: (image: ImageData) => (canvas.drawn = image),
    }),
  };
  return canvas;
}

describe('drawMatrixMap', () => {
  const data = {
    causes: Uint8Array.of(0, 3, 3, 3),
    updateNorm: Float32Array.of(1, 0, 0, 0),
    order: null,
    cursor: null,
  };
  const pixel = (image: ImageData, x: number, y: number) =>
    Array.from(image.data.slice((y * image.width + x) * 4, (y * image.width + x) * 4 + 3));

  it('draws one pixel per row when nothing is predicted', () => {
    const canvas = fakeCanvas();
    drawMatrixMap(canvas as unknown as HTMLCanvasElement, data);
    expect([canvas.width, canvas.height]).toEqual([2, 2]);
    expect(pixel(canvas.drawn!, 1, 0)).toEqual([206, 210, 216]);
  });

  it('draws a row that had a gradient but did not move in the stalled shade, not dimmed', () => {
    const canvas = fakeCanvas();
    const stalled = { ...data, causes: Uint8Array.of(0, 4, 3, 3), updateNorm: Float32Array.of(1, 0, 0, 0) };
    drawMatrixMap(canvas as unknown as HTMLCanvasElement, stalled);
    expect(pixel(canvas.drawn!, 1, 0)).toEqual([...LIGHT_THEME.stalled]);
    expect(pixel(canvas.drawn!, 0, 1)).toEqual([...LIGHT_THEME.unchanged]);
  });

  it('outlines predicted rows in black around their coloured centre', () => {
    const canvas = fakeCanvas();
    drawMatrixMap(canvas as unknown as HTMLCanvasElement, { ...data, predicted: new Set([1]) });
    expect([canvas.width, canvas.height]).toEqual([2 * OUTLINE_SCALE, 2 * OUTLINE_SCALE]);
    const image = canvas.drawn!;
    expect(pixel(image, 4, 0)).toEqual([0, 0, 0]);
    expect(pixel(image, 7, 3)).toEqual([0, 0, 0]);
    expect(pixel(image, 5, 1)).toEqual([206, 210, 216]);
    expect(pixel(image, 6, 2)).toEqual([206, 210, 216]);
    // Row 2, not predicted, keeps its colour to the edge of its block.
    expect(pixel(image, 0, 4)).toEqual([206, 210, 216]);
  });
  it('draws the dark palette, and a white cursor and outlines, for the dark theme', () => {
    const canvas = fakeCanvas();
    const dark = { ...data, palette: causePalette('dark'), markShade: 255 };
    drawMatrixMap(canvas as unknown as HTMLCanvasElement, { ...dark, cursor: 2 });
    expect(pixel(canvas.drawn!, 1, 0)).toEqual([...DARK_THEME.unchanged]);
    expect(pixel(canvas.drawn!, 0, 1)).toEqual([255, 255, 255]);
    drawMatrixMap(canvas as unknown as HTMLCanvasElement, { ...dark, predicted: new Set([1]) });
    expect(pixel(canvas.drawn!, 4, 0)).toEqual([255, 255, 255]);
    expect(pixel(canvas.drawn!, 5, 1)).toEqual([...DARK_THEME.unchanged]);
  });

  it('brightens moved rows by `brightness` when given, and leaves rows that did not move in their shade', () => {
    const canvas = fakeCanvas();
    // Rows 0 and 1 moved (both lookup); row 2 did not. ‖Δrow‖ says row 0 moved further, the
    // centred norm says row 1 did: the brightness follows the centred norm.
    const moved = {
      ...data,
      causes: Uint8Array.of(0, 0, 3, 3),
      updateNorm: Float32Array.of(2, 1, 0, 0),
    };
    drawMatrixMap(canvas as unknown as HTMLCanvasElement, moved);
    const plain = [pixel(canvas.drawn!, 0, 0)[0]!, pixel(canvas.drawn!, 1, 0)[0]!];
    expect(plain[0]).toBeGreaterThan(plain[1]!);
    drawMatrixMap(canvas as unknown as HTMLCanvasElement, {
      ...moved,
      brightness: Float32Array.of(0.1, 1, 0.5, 0.5),
    });
    const centred = [pixel(canvas.drawn!, 0, 0)[0]!, pixel(canvas.drawn!, 1, 0)[0]!];
    expect(centred[1]).toBeGreaterThan(centred[0]!);
    expect(pixel(canvas.drawn!, 0, 1)).toEqual([...LIGHT_THEME.unchanged]);
  });
});
