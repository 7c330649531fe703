// Runs the Nu HTML Checker (vnu.jar from npm) over every HTML file of a built
// site in one JVM. Prints each error as file:line:column; exits 1 if any.
//
//   node html.mjs --dir PUBLIC

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { option } from './lib/harness.mjs';

const dir = option('dir');
const jar = createRequire(import.meta.url)('vnu-jar');
const started = Date.now();
const run = spawnSync('java', ['-jar', jar, '--errors-only', '--skip-non-html', '--format', 'json', dir], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
if (run.error) {
  console.error(`cannot run java (${run.error.message}): run tests/setup`);
  process.exit(2);
}
let messages;
try {
  messages = JSON.parse(run.stderr || run.stdout || '{"messages":[]}').messages;
} catch {
  console.error(`the checker printed something other than JSON:\n${run.stdout}\n${run.stderr}`);
  process.exit(2);
}
const errors = messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
for (const m of errors) {
  const file = decodeURIComponent((m.url || '').replace(/^file:/, ''));
  console.log(`${file}:${m.lastLine ?? 0}:${m.firstColumn ?? m.lastColumn ?? 0}: ${m.message}\n    ${(m.extract || '').trim()}`);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`vnu: ${errors.length} error(s), ${seconds} s`);
process.exit(errors.length ? 1 : 0);
