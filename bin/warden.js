#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/cli (built by `npm run build`, run on `npm install`).
import('../dist/cli/main.js').then((m) => m.main(process.argv.slice(2))).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`warden: internal error: ${err && err.message ? err.message : String(err)}\n`); process.exitCode = 70; },
);
