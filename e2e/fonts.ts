/**
 * Fonts in the end-to-end tests. The lab ships its own faces (src/app/fonts.ts), so its text has
 * the same width on every machine; these helpers let a test wait for them before it measures
 * layout, check which fonts Chromium actually drew with, and block them to see the layout hold
 * with whatever fallback fonts the machine has (on a fresh Debian machine: DejaVu only).
 */
import { execFileSync } from 'node:child_process';
import { expect, type Frame, type Page } from '@playwright/test';

const UI_FAMILY = 'Inter Variable';
const MONO_FAMILY = 'JetBrains Mono Variable';

/** Fails every request for a font file: the page must then lay out with the system's fonts. */
export async function blockWebFonts(page: Page): Promise<string[]> {
  const blocked: string[] = [];
  await page.route(/\.woff2(\?|$)/, (route) => {
    blocked.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  return blocked;
}

/** Waits until no font is loading any more, so that measured widths are the final ones. */
export async function fontsSettled(target: Page | Frame): Promise<void> {
  await target.evaluate(async () => {
    await document.fonts.ready;
  });
}

/** The lab's faces that finished loading, as "family status" strings. */
function labFaces(target: Page | Frame): Promise<string[]> {
  return target.evaluate(() =>
    [...document.fonts].map((f) => `${f.family.replace(/["']/g, '')} ${f.status}`).sort(),
  );
}

/** Waits for the fonts, then checks that both shipped faces loaded (from wherever the page is). */
export async function expectShippedFontsLoaded(target: Page | Frame): Promise<void> {
  await fontsSettled(target);
  expect(await labFaces(target)).toEqual(
    expect.arrayContaining([`${UI_FAMILY} loaded`, `${MONO_FAMILY} loaded`]),
  );
}

interface DomNode {
  nodeId: number;
  nodeType: number;
  children?: DomNode[];
  shadowRoots?: DomNode[];
}

const find = (node: DomNode, nodeId: number): DomNode | null => {
  if (node.nodeId === nodeId) return node;
  for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) {
    const hit = find(child, nodeId);
    if (hit) return hit;
  }
  return null;
};

/**
 * The fonts Chromium drew the text inside the first element matching `selector` with (DevTools'
 * "Rendered fonts"), family name to glyph count (web fonts marked " (web font)"), from the CSS domain of the DevTools protocol.
 * `host` names a custom element whose shadow root `selector` is matched in.
 */
export async function renderedFonts(
  page: Page,
  selector: string,
  host?: string,
): Promise<Map<string, number>> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    let scope = root;
    if (host) {
      const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: host });
      const shadow = find(root, nodeId)?.shadowRoots?.[0];
      if (!shadow) throw new Error(`${host} has no shadow root`);
      scope = shadow;
    }
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: scope.nodeId, selector });
    const element = find(root, nodeId);
    if (!element) throw new Error(`no ${selector}`);
    // getPlatformFontsForNode reports an element's own text children, so ask every element below.
    const elements: number[] = [];
    const walk = (n: DomNode) => {
      if (n.nodeType === 1) elements.push(n.nodeId);
      n.children?.forEach(walk);
    };
    walk(element);
    const used = new Map<string, number>();
    for (const id of elements) {
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId: id });
      for (const f of fonts) {
        // isCustomFont: downloaded by the page (a web font), not found on the machine.
        const name = f.isCustomFont ? `${f.familyName} (web font)` : f.familyName;
        used.set(name, (used.get(name) ?? 0) + f.glyphCount);
      }
    }
    return used;
  } finally {
    await cdp.detach();
  }
}

/** The font families installed on this machine (fontconfig), or null where fc-list is missing. */
export function systemFamilies(): string[] | null {
  try {
    const out = execFileSync('fc-list', [':', 'family'], { encoding: 'utf8' });
    return [
      ...new Set(
        out
          .split('\n')
          .flatMap((l) => l.split(','))
          .map((l) => l.trim()),
      ),
    ]
      .filter(Boolean)
      .sort();
  } catch {
    return null;
  }
}
