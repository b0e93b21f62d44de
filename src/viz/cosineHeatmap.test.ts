import { describe, expect, it } from 'vitest';
import { cosineAt, heatmapCellAt, heatmapPalette, heatmapRange } from './cosineHeatmap';
import { divergingColor } from './heatStrip';

const data = { count: 3, cosines: new Float32Array([1, 0.2, -0.4, 0.2, 1, 0.1, -0.4, 0.1, 1]) };

describe('cosine heatmap helpers', () => {
  it('cosineAt reads row-major cells and is NaN outside the matrix', () => {
    expect(cosineAt(data, 0, 2)).toBeCloseTo(-0.4, 6);
    expect(cosineAt(data, 2, 1)).toBeCloseTo(0.1, 6);
    expect(cosineAt(data, 3, 0)).toBeNaN();
    expect(cosineAt(data, -1, 0)).toBeNaN();
  });

  it('heatmapRange leaves the diagonal out and never goes below 0.05', () => {
    expect(heatmapRange(data)).toBeCloseTo(0.4, 6);
    expect(heatmapRange({ count: 2, cosines: new Float32Array([1, 0.01, 0.01, 1]) })).toBe(0.05);
  });

  it('heatmapCellAt maps CSS pixels to (row, column) and refuses points outside', () => {
    expect(heatmapCellAt(0, 0, 256, 128)).toEqual({ i: 0, j: 0 });
    expect(heatmapCellAt(255.9, 2, 256, 128)).toEqual({ i: 1, j: 127 });
    expect(heatmapCellAt(256, 0, 256, 128)).toBeNull();
    expect(heatmapCellAt(-1, 0, 256, 128)).toBeNull();
  });

  it('the palette runs from the scale at −range to the scale at +range', () => {
    const color = divergingColor(0.5, 'light');
    const lut = heatmapPalette(color, 0.5);
    expect(lut).toHaveLength(768);
    // RdBu through the reversed domain: −range is blue-ish, +range red-ish.
    expect(lut[2]!).toBeGreaterThan(lut[0]!);
    expect(lut[255 * 3]!).toBeGreaterThan(lut[255 * 3 + 2]!);
  });
});
