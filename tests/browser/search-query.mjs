// Runs queries through the default theme's own search code (/js/search.js)
// on a built index, without a browser: the file is evaluated in Node, where
// it exposes its query engine instead of wiring up a page.
//
//   node search-query.mjs --index PUBLIC/search/en \
//     --queries '[{"q": "LLM"}, {"q": "audit", "kind": "tool", "status": "approved"}]'
//
// Prints, for each query, the paths of its results, best first, as JSON, and
// the bytes of index files the query loaded (the manifest, shards and the
// first page of results), as they are and gzipped as a host would send them.
import { readFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { option } from './lib/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const script = option('script', join(here, '../../themes/default/static/js/search.js'));
const dir = option('index', null);
const queries = JSON.parse(option('queries', '[]'));
if (!dir) {
  console.error('usage: node search-query.mjs --index PUBLIC/search/LANG --queries JSON');
  process.exit(2);
}

const context = vm.createContext({});
vm.runInContext(await readFile(script, 'utf8'), context, { filename: script });
const { Index } = context.pamphletSearch;

const out = [];
for (const query of queries) {
  let bytes = 0;
  let gzipped = 0;
  const index = new Index('', async (path) => {
    const text = await readFile(join(dir, path.split('?')[0]), 'utf8');
    bytes += Buffer.byteLength(text);
    gzipped += gzipSync(text).length;
    return JSON.parse(text);
  });
  const found = await index.search(query.q, query);
  const docs = await Promise.all(found.ids.slice(0, query.limit ?? 10).map((id) => index.doc(id)));
  out.push({ q: query.q, count: found.ids.length, results: docs.map((d) => d.path), bytes, gzipped });
}
console.log(JSON.stringify(out, null, 1));
