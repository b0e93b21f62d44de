// Screenshots of every Lesson chapter after its run, at 1280 and 390 px, for people to look at; it
// prints each run's wall time and whether its claim held.
// Usage: npx vite build --outDir dist-lesson && E2E_DIST=dist-lesson npx tsx scripts/screenshot-lesson.ts [outDir] [port]
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LESSON_CHAPTER_IDS } from '../src/core/lesson/chapters';
import { launchChromium, startPreview } from './lib/browser';

// CHAPTERS=learned,adam picks some.
const CHAPTERS = process.env.CHAPTERS ? process.env.CHAPTERS.split(',') : LESSON_CHAPTER_IDS;

const outDir = process.argv[2] ?? 'test-results/screenshots';
const server = await startPreview(Number(process.argv[3] ?? 4187));
mkdirSync(outDir, { recursive: true });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  for (const chapter of CHAPTERS) {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}?view=lesson&chapter=${chapter}`);
    await page.getByTestId('lesson.predict').locator('input').nth(1).check();
    const started = Date.now();
    await page.getByTestId('lesson.run').click();
    const result = page.getByTestId('lesson.result');
    await result.waitFor({ timeout: 120_000 });
    const holds = await result.getAttribute('data-holds');
    console.log(`${chapter}: ${((Date.now() - started) / 1000).toFixed(1)} s, claim holds: ${holds}`);
    await page.screenshot({ path: join(outDir, `lesson-${chapter}-1280.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(outDir, `lesson-${chapter}-390.png`), fullPage: true });
    await result.screenshot({ path: join(outDir, `lesson-${chapter}-390-result.png`) });
  }
} finally {
  await browser.close();
  server.stop();
}
