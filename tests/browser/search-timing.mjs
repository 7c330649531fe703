// Not a test: how long the search page takes, in headless Chromium, from a
// query entered (Enter pressed in the field) to the first frame with its
// results, for
// each query, the first (which loads the manifest) and then the rest.
// Prints each time and the median, in milliseconds, as JSON on the last line.
//
//   node search-timing.mjs --dir PUBLIC --port N --queries 'LLM,open weights,audit'

import { launch, option, serve } from './lib/harness.mjs';

const dir = option('dir');
const port = Number(option('port', '0'));
const queries = option('queries').split(',');
const rounds = Number(option('rounds', '3'));

const server = await serve(dir, port);
const browser = await launch();
const times = [];
try {
  for (let round = 0; round < rounds; round++) {
    const page = await browser.newPage();
    await page.goto(server.url + '/search/', { waitUntil: 'load' });
    for (const q of queries) {
      await page.fill('#search-q', q);
      // From the Enter key going down to the first frame drawn after the
      // results are in the page.
      const done = page.evaluate((q) => new Promise((resolve) => {
        let started = 0;
        document.addEventListener('keydown', () => { started = performance.now(); }, { capture: true, once: true });
        const list = document.querySelector('[data-search-results]');
        const watch = new MutationObserver(() => {
          if (list.getAttribute('data-done') !== q) return;
          watch.disconnect();
          requestAnimationFrame(() => resolve(performance.now() - started));
        });
        watch.observe(list, { attributes: true, attributeFilter: ['data-done'] });
      }), q);
      await page.press('#search-q', 'Enter');
      const ms = await done;
      times.push({ round, q, ms: Math.round(ms * 10) / 10 });
      console.log(`${round} ${q}: ${ms.toFixed(1)} ms`);
    }
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
const sorted = times.map((t) => t.ms).sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
const first = times.filter((t) => t.round === 0).map((t) => t.ms);
console.log(JSON.stringify({ median, max: sorted[sorted.length - 1], first_query: first[0], times }));
