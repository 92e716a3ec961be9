// Runs `warden apply` from source in its own process, so fault tests can SIGKILL it.
// Usage: node --import tsx test/plan/apply-child.mts PROJECT_DIR [apply args...]
import { main } from '../../src/cli/main.js';

const [cwd, ...args] = process.argv.slice(2);
const code = await main(['apply', ...args], {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd,
  isTTY: false,
  color: false,
});
process.exitCode = code;
