import { launchChromium, startPreview } from './lib/browser';
const server = await startPreview(4195);
const browser = await launchChromium();
try {
  for (const [label, path, sel] of [
    ['sum', '?view=sum', '[data-testid="sum.step-count"]'],
    ['train', '?view=train', '[data-testid="train.step"]:not([disabled])'],
  ] as const) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const logs: string[] = [];
    page.on('console', (m) => logs.push(`${m.type()} ${m.text()}`));
    await page.addInitScript(`(() => { const sel = ${JSON.stringify(sel)}; const t0 = performance.now();
      const mo = new MutationObserver(() => { if (document.querySelector(sel) && !window.__first) window.__first = performance.now(); });
      document.addEventListener('DOMContentLoaded', () => mo.observe(document.body, { subtree: true, childList: true, attributes: true }));
    })()`);
    await page.goto(server.url + path);
    const phases: string[] = [];
    const t0 = Date.now();
    while (!(await page.evaluate('window.__first'))) {
      const txt = await page.evaluate(`document.querySelector('[role=status]')?.textContent ?? ''`);
      if (phases.at(-1) !== txt) phases.push(`${Date.now() - t0}ms ${txt}`);
      await page.waitForTimeout(100);
    }
    console.log(label, await page.evaluate('window.__first'), phases.join('\n  '));
    await ctx.close();
  }
} finally { await browser.close(); server.stop(); }
