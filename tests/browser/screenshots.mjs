// Not a test: full-page PNGs of the main kinds of page, to look at. Widths
// 320, 375 and 1280 px, light and dark, and print (A4-ish, light). Reports
// pages wider than the viewport (sideways scrolling) on stdout.
//
//   node screenshots.mjs --dir PUBLIC --port N [--out /tmp/shots] [--pages /,/glossary/]

import fs from 'node:fs';
import path from 'node:path';
import { htmlPages, launch, option, serve } from './lib/harness.mjs';

const dir = option('dir');
const port = Number(option('port', '0'));
const out = option('out', '/tmp/shots');
const all = htmlPages(dir);
const pick = (prefix) => all.find((p) => p.startsWith(prefix) && p !== prefix) || prefix;
const defaults = ['/', pick('/explainers/'), '/glossary/', pick('/glossary/'), '/events/', pick('/events/'), '/tools/'];
if (all.includes('/search/')) defaults.push('/search/', '/search/?q=open+weights');
const only = option('pages', '');
const pages = only ? only.split(',') : defaults;
const views = [
  { width: 320, scheme: 'light' },
  { width: 375, scheme: 'light' },
  { width: 375, scheme: 'dark' },
  { width: 1280, scheme: 'light' },
  { width: 1280, scheme: 'dark' },
  { width: 800, scheme: 'light', media: 'print' },
];

fs.mkdirSync(out, { recursive: true });
const server = await serve(dir, port);
const browser = await launch();
try {
  for (const view of views) {
    const context = await browser.newContext({ viewport: { width: view.width, height: 900 } });
    const tab = await context.newPage();
    await tab.emulateMedia({ colorScheme: view.scheme, media: view.media || 'screen' });
    for (const urlPath of pages) {
      await tab.goto(server.url + urlPath, { waitUntil: 'load' });
      if (urlPath.includes('?q=')) {
        await tab.waitForSelector('[data-search-results][data-done]', { state: 'attached', timeout: 5000 }).catch(() => {});
      }
      const name = (urlPath.replace(/^\/|\/$/g, '').replace(/\.html$/, '').replace(/[^A-Za-z0-9-]+/g, '_') || 'home');
      const file = path.join(out, `${name}-${view.width}-${view.media || view.scheme}.png`);
      // Tall pages in parts of at most 2.5 viewports' width, so each stays legible.
      const height = await tab.evaluate(() => document.documentElement.scrollHeight);
      const part = Math.max(1200, Math.round(view.width * 2.5));
      for (let y = 0, n = 1; y < height; y += part, n++) {
        const clip = { x: 0, y, width: view.width, height: Math.min(part, height - y) };
        const name = height > part ? file.replace(/\.png$/, `-${n}.png`) : file;
        await tab.screenshot({ path: name, fullPage: true, clip });
      }
      const wide = await tab.evaluate(() => document.documentElement.scrollWidth);
      if (wide > view.width) console.log(`${urlPath} at ${view.width}px is ${wide}px wide`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`screenshots in ${out}`);
