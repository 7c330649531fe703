// Glossary term tooltips and the glossary filter, in headless Chromium, as
// WCAG 2.2 asks of content on hover or focus (SC 1.4.13) and of keyboard use
// (SC 2.1.1): shown on hover and on focus, hoverable, persistent until
// dismissed, dismissed by Esc without moving focus; described to assistive
// technology; the link still leads to the term without JavaScript. Prints
// each failed check; exits 1 if there is any.
//
//   node tooltips.mjs --dir PUBLIC --port N --page /notes/edge-cases/ --glossary /glossary/
//
// Build the site with `--base-url http://127.0.0.1:N` and pass the same port.

import { launch, option, serve } from './lib/harness.mjs';

const dir = option('dir');
const port = Number(option('port'));
const pagePath = option('page');
const glossaryPath = option('glossary');

const failures = [];
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

const server = await serve(dir, port);
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(server.url + pagePath, { waitUntil: 'load' });

  const link = page.locator('a.gloss').first();
  const tipId = await link.getAttribute('aria-describedby');
  const tip = page.locator(`[id="${tipId}"]`);
  check((await tip.getAttribute('role')) === 'tooltip', 'the tooltip has role=tooltip');
  check((await tip.textContent()).trim().length > 0, 'the link is described by the term\'s definition');
  check(!(await tip.isVisible()), 'the definition is hidden at first');

  // Mouse: shows on hover, stays while the pointer moves onto it, stays over time.
  await link.hover();
  check(await tip.isVisible(), 'hover on the term shows its definition');
  const box = await tip.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
  check(await tip.isVisible(), 'the pointer can move onto the definition (hoverable)');
  await page.waitForTimeout(1500);
  check(await tip.isVisible(), 'the definition stays while hovered (persistent)');
  await page.keyboard.press('Escape');
  check(!(await tip.isVisible()), 'Esc dismisses the definition under the pointer');
  await page.mouse.move(5, 5);
  await link.hover();
  check(await tip.isVisible(), 'hovering again shows it again');
  await page.mouse.move(5, 5);
  check(!(await tip.isVisible()), 'moving the pointer away hides it');

  // Keyboard: Tab reaches the term link, focus shows the definition, Esc hides it, focus stays.
  await page.goto(server.url + pagePath, { waitUntil: 'load' });
  let reached = false;
  for (let i = 0; i < 60 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate((id) => document.activeElement?.getAttribute('aria-describedby') === id, tipId);
  }
  check(reached, 'Tab reaches the term link');
  const tipAgain = page.locator(`[id="${tipId}"]`);
  check(await tipAgain.isVisible(), 'focus on the term shows its definition');
  await page.keyboard.press('Escape');
  check(!(await tipAgain.isVisible()), 'Esc dismisses the definition');
  const stillFocused = await page.evaluate((id) => document.activeElement?.getAttribute('aria-describedby') === id, tipId);
  check(stillFocused, 'Esc leaves focus on the term link');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  check(await tipAgain.isVisible(), 'focusing the term again shows its definition again');
  const href = await page.evaluate(() => document.activeElement?.getAttribute('href'));
  const opened = await Promise.all([
    page.waitForURL(new URL(href, server.url).href, { timeout: 5000 }).then(() => true, () => false),
    page.keyboard.press('Enter'),
  ]);
  check(opened[0], 'Enter on the term link opens the term page');

  // Without JavaScript the link still leads to the term, and CSS still shows the definition.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const noJs = await plain.newPage();
  await noJs.goto(server.url + pagePath, { waitUntil: 'load' });
  const noJsLink = noJs.locator('a.gloss').first();
  check(/\/glossary\/[^/]+\/$/.test(await noJsLink.getAttribute('href')), 'without JavaScript the link leads to the term page');
  await noJsLink.hover();
  check(await noJs.locator(`[id="${tipId}"]`).isVisible(), 'without JavaScript hover still shows the definition');
  await plain.close();

  // Print: definitions are listed at the end of the page; tooltips are not printed.
  await page.goto(server.url + pagePath, { waitUntil: 'load' });
  await page.emulateMedia({ media: 'print' });
  check(await page.locator('.terms-used dd').first().isVisible(), 'in print, the terms used are listed with their definitions');
  await page.emulateMedia({ media: 'screen' });

  // The glossary filter narrows the list and announces the count.
  await page.goto(server.url + glossaryPath, { waitUntil: 'load' });
  const input = page.locator('#glossary-filter-input');
  check(await input.isVisible(), 'the filter box appears once the script runs');
  const total = await page.locator('.glossary-entry').count();
  await input.fill('model');
  await page.waitForTimeout(400);
  const shown = await page.locator('.glossary-entry:visible').count();
  const status = (await page.locator('#glossary-filter-status').textContent()).trim();
  check(shown > 0 && shown < total, `typing narrows the list (${shown} of ${total})`);
  check(status.startsWith(`${shown} term`), `the live region announces the count ("${status}")`);
  check((await page.locator('#glossary-filter-status').getAttribute('role')) === 'status', 'the count is in a live region');
  await input.fill('LLM');
  await page.waitForTimeout(400);
  const llm = await page.locator('.glossary-entry:visible dt').allTextContents();
  check(llm.some((t) => t.includes('Large language model')), 'a synonym finds its term');
  await input.fill('');
  await page.waitForTimeout(400);
  check((await page.locator('.glossary-entry:visible').count()) === total, 'clearing the filter shows every term');
} finally {
  await browser.close();
  await server.close();
}

if (failures.length) {
  console.log(`\n${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('\nall tooltip and filter checks passed');
