import { launchChromium, startPreview } from './lib/browser';
const server = await startPreview(4185);
const browser = await launchChromium();
const page = await browser.newPage();
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(server.url);
await page.waitForFunction(() => !!window.bertLab);
for (const optimizer of ['adam', 'sgd', 'lazyadam']) {
  await page.evaluate(
    (o) =>
      window.bertLab!.start({
        preset: 'bert-tiny',
        backend: 'wasm',
        batchSize: 8,
        seqLength: 64,
        optimizer: o as 'adam',
      }),
    optimizer,
  );
  await page.evaluate(() => window.bertLab!.step(1));
  for (let i = 0; i < 3; i++) {
    const s = await page.evaluate(() => window.bertLab!.step(1));
    console.log(optimizer, Math.round(s.msPerStep!), JSON.stringify(s.report!.ms));
  }
}
await browser.close();
server.stop();
