// The search page in headless Chromium, on the search fixture: results as
// you type, with kind, snippet and <mark>ed matches; the count announced in
// the role="status" region; the arrow keys between the field and the
// results; the kind filter; a query taken from the address; and, without
// JavaScript, links to the A–Z glossary and the sections; and no axe-core
// violations (WCAG 2.2 AA) with results shown, light and dark. Prints each failed
// check; exits 1 if there is any.
//
//   node search-page.mjs --dir PUBLIC --port N
//
// Build the site with `--base-url http://127.0.0.1:N` and pass the same port.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import { launch, option, serve } from './lib/harness.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const dir = option('dir');
const port = Number(option('port'));

const failures = [];
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

const results = '[data-search-results]';
const done = (page, q) => page.waitForSelector(`${results}[data-done="${q}"]`, { state: 'attached', timeout: 5000 });

const server = await serve(dir, port);
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(server.url + '/search/', { waitUntil: 'load' });
  check(await page.locator('[data-search-filters]').isVisible(), 'the filters show once the script runs');

  await page.focus('#search-q');
  await page.keyboard.type('LLM');
  await done(page, 'LLM');
  const status = await page.textContent('#search-status');
  check(status === '2 results for \u201cLLM\u201d', `the count is announced (${status})`);
  const first = page.locator('.search-result').first();
  check((await first.locator('a').getAttribute('href')) === '/glossary/large-language-model/', 'the term comes first');
  check((await first.locator('.search-result-kind').textContent()).startsWith('Glossary term'), 'its kind is shown');
  check((await first.locator('mark').first().textContent()) === 'LLM', 'the abbreviation is marked');
  check(page.url().endsWith('/search/?q=LLM'), 'the address keeps the query');

  await page.keyboard.press('ArrowDown');
  check(await first.locator('a').evaluate((a) => a === document.activeElement), 'ArrowDown moves to the first result');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  check(await page.evaluate(() => document.activeElement.id === 'search-q'), 'ArrowUp goes back to the field');

  await page.fill('#search-q', 'procurement');
  await page.keyboard.press('Enter');
  await done(page, 'procurement');
  const marks = await page.locator('.search-result-snippet mark').allTextContents();
  check(marks.some((m) => m.toLowerCase() === 'procurement'), `snippets mark the match (${marks})`);

  // The page with results, as a reader meets it, against WCAG 2.2 AA.
  await page.addScriptTag({ content: axeSource });
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const found = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
      TAGS,
    );
    const ids = found.violations.map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    check(!ids.length, `no axe violations with results shown, ${scheme} (${ids.join('; ')})`);
  }

  await page.fill('#search-q', 'evaluation');
  await page.selectOption('#search-kind', 'tool');
  await done(page, 'evaluation');
  const kinds = await page.locator('.search-result-kind').allTextContents();
  check(kinds.length === 3 && kinds.every((k) => k.startsWith('Tool · ')), `the kind filter keeps tools only (${kinds})`);

  await page.goto(server.url + '/search/?q=procur&kind=explainer', { waitUntil: 'load' });
  await done(page, 'procur');
  const links = await page.locator('.search-result a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  check(links.join() === '/explainers/procurement/', `a query and filter in the address run on load (${links})`);

  const noScript = await browser.newPage({ javaScriptEnabled: false });
  await noScript.goto(server.url + '/search/?q=LLM', { waitUntil: 'load' });
  check(await noScript.locator('.search-browse a[href="/glossary/"]').isVisible(), 'without JavaScript, the A–Z glossary is offered');
  check(!(await noScript.locator('[data-search-filters]').isVisible()), 'without JavaScript, no filters that do nothing');
} finally {
  await browser.close();
  await server.close();
}
console.log(failures.length ? `${failures.length} failed` : 'all search page checks passed');
process.exit(failures.length ? 1 : 0);
