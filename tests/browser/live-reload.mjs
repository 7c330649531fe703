// `pamphlet serve`'s live reload in headless Chromium: an edit to a page's
// source reloads the open page by itself, showing the change and keeping its
// scroll position; a broken edit shows an overlay naming the file; the fix
// removes it. Prints each failed check; exits 1 if there is any.
//
//   node live-reload.mjs --url http://127.0.0.1:N --site SITE_ROOT \
//     --file content/explainers/x.md --page /explainers/x/
//
// SITE_ROOT is the folder `pamphlet serve` is serving (its sources are edited).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, option } from './lib/harness.mjs';

const url = option('url');
const file = join(option('site'), option('file'));
const pagePath = option('page');

const failures = [];
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

const original = readFileSync(file, 'utf8');
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  await page.goto(url + pagePath, { waitUntil: 'load' });
  // Give the live-reload stream a moment to open.
  await page.waitForTimeout(500);
  await page.evaluate(() => window.scrollTo(0, 600));
  const scrolled = await page.evaluate(() => window.scrollY);

  // An edit: the page reloads by itself and shows it.
  const marker = 'Written in the live-reload test.';
  writeFileSync(file, original.trimEnd() + `\n\n${marker}\n`);
  const shown = await page
    .waitForFunction((m) => document.body.innerText.includes(m), marker, { timeout: 20000 })
    .then(() => true, () => false);
  check(shown, 'the open page reloaded by itself and shows the edit');
  await page.waitForTimeout(300);
  const kept = await page.evaluate(() => window.scrollY);
  check(Math.abs(kept - scrolled) < 50, `the page kept its scroll position (${scrolled} before, ${kept} after)`);

  // A broken edit: an overlay names the file, over the last good page.
  writeFileSync(file, original.replace('title = "', 'title = \n"'));
  const overlay = page.locator('#pamphlet-errors');
  const appeared = await overlay.waitFor({ state: 'visible', timeout: 20000 }).then(() => true, () => false);
  check(appeared, 'a broken edit shows the error overlay');
  if (appeared) {
    const text = await overlay.innerText();
    check(text.includes(option('file')), `the overlay names the file (${text.split('\n').slice(0, 3).join(' | ')})`);
    check((await overlay.getAttribute('role')) === 'alert', 'the overlay is announced (role=alert)');
    check(await page.evaluate((m) => document.body.innerText.includes(m), marker), 'the last good page is still shown');
  }

  // The fix: the page reloads and the overlay is gone.
  writeFileSync(file, original);
  const gone = await page
    .waitForFunction((m) => !document.body.innerText.includes(m) && !document.getElementById('pamphlet-errors'), marker, {
      timeout: 20000,
    })
    .then(() => true, () => false);
  check(gone, 'the fix reloads the page and removes the overlay');
} finally {
  writeFileSync(file, original);
  await browser.close();
}

if (failures.length) {
  console.log(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('live reload: all checks passed');
