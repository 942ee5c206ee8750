// Drives facegan serve's editor in Debian's headless Chromium: loads the page, waits for the faces, moves a
// slider, checks that the first face changes, and saves a screenshot.
//   node web-tests/editor.mjs URL SCREENSHOT.png
// Prints one JSON line: {"changed": true, "slider": NAME, "update_ms": [...]}; exits 1 on any failure.
import { chromium } from 'playwright-core';

const [url, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('status').textContent === 'ready', null, { timeout: 60000 });
  const first = () => page.$eval('#faces img', (img) => img.src);
  const before = await first();
  const slider = page.locator('#sliders input[type=range]').nth(1);
  const name = await slider.getAttribute('name');
  const updates = [];
  for (const value of ['1', '2', '-1', '1.5']) {
    const previous = await page.$eval('#latency', (e) => e.dataset.ms);
    await slider.fill(value);                 // sets the value and fires input, as a drag does
    await page.waitForFunction((p) => document.getElementById('latency').dataset.ms !== p, previous, { timeout: 30000 });
    updates.push(+(await page.$eval('#latency', (e) => e.dataset.ms)));
  }
  await slider.fill('2');
  await page.waitForTimeout(500);
  const after = await first();
  await page.screenshot({ path: screenshot });
  if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  console.log(JSON.stringify({ changed: before !== after, slider: name, update_ms: updates }));
  process.exitCode = before !== after ? 0 : 1;
} finally {
  await browser.close();
}
