import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(join(import.meta.dirname, 'tokens.css'), 'utf8');

/** The colour declarations (`--name: #value;`) of the first block that follows `opening`. */
function colours(opening: string): Map<string, string> {
  const start = css.indexOf(opening);
  expect(start).toBeGreaterThanOrEqual(0);
  const body = css.slice(start + opening.length, css.indexOf('}', start));
  return new Map([...body.matchAll(/(--[a-z0-9-]+):\s*(#[0-9a-f]{3,8});/g)].map((m) => [m[1]!, m[2]!]));
}

describe('tokens.css', () => {
  it('the forced themes repeat the light and dark colours exactly', () => {
    const light = colours(':root {');
    const dark = colours('@media (prefers-color-scheme: dark) {\n  :root {');
    expect(dark.size).toBeGreaterThan(30);
    expect([...dark.keys()].every((name) => light.has(name))).toBe(true);
    expect(colours(":where(:root, .embed)[data-scheme='dark'] {")).toEqual(dark);
    expect(colours(":where(:root, .embed)[data-scheme='light'] {")).toEqual(
      new Map([...light].filter(([name]) => dark.has(name))),
    );
  });
});
