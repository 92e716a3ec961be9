// Runs the warden CLI from the TypeScript sources (no build step), for tests that need a real
// child process: `node --import tsx test/authoring/cli-entry.ts watch DIR`.
import { main } from '../../src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (caught: unknown) => {
    process.stderr.write(`internal error: ${caught instanceof Error ? caught.stack : String(caught)}\n`);
    process.exitCode = 70;
  },
);
