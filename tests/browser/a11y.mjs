// Runs axe-core (WCAG 2.0/2.1 A and AA, WCAG 2.2 AA) on every page of a built
// site, in the light and the dark scheme. Prints each violation with the
// page, scheme, rule and elements; exits 1 if there is any.
//
//   node a11y.mjs --dir PUBLIC [--port N] [--pages /,/explainers/x/] [--width 2]
//
// Build the site with `--base-url http://127.0.0.1:N` and pass the same
// port, so that the pages' absolute links to their CSS reach this server.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import { htmlPages, inParallel, launch, option, serve } from './lib/harness.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const SCHEMES = ['light', 'dark'];

const dir = option('dir');
const only = option('pages', '');
const pages = only ? only.split(',') : htmlPages(dir);
const width = Number(option('width', '2'));
const port = Number(option('port', '0'));
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const started = Date.now();
const server = await serve(dir, port);
const browser = await launch();
const findings = [];
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const tabs = await Promise.all(Array.from({ length: width }, () => context.newPage()));
  let free = [...tabs];
  await inParallel(pages, width, async (urlPath) => {
    const tab = free.pop();
    try {
      // Load once; switch the scheme in place (the CSS follows the media query).
      await tab.emulateMedia({ colorScheme: SCHEMES[0] });
      await tab.goto(server.url + urlPath, { waitUntil: 'load' });
      await tab.addScriptTag({ content: axeSource });
      for (const scheme of SCHEMES) {
        await tab.emulateMedia({ colorScheme: scheme });
        const result = await tab.evaluate(
          (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
          TAGS,
        );
        for (const v of result.violations) {
          for (const node of v.nodes) {
            findings.push(
              `${urlPath} [${scheme}] ${v.id} (${v.impact}): ${v.help}\n    at ${node.target.join(' ')}\n    ${(node.failureSummary || '').split('\n').join('\n    ')}`,
            );
          }
        }
      }
    } finally {
      free.push(tab);
    }
  });
} finally {
  await browser.close();
  await server.close();
}

for (const f of findings) console.log(f);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`axe: ${pages.length} pages x ${SCHEMES.length} schemes, ${findings.length} violation(s), ${seconds} s`);
process.exit(findings.length ? 1 : 0);
