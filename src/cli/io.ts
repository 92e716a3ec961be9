/**
 * Everything a command may touch of the outside world, passed in by `main` so that commands
 * are testable in-process and the library never reads `process` itself.
 */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Whether stdout is a terminal (progress bars, confirmations). */
  isTTY: boolean;
  /** Whether to colour output (a TTY and NO_COLOR unset). */
  color: boolean;
  /** Reads one line from the terminal (confirmations); absent when stdin is not a terminal. */
  prompt?: (question: string) => Promise<string>;
}

/** Exit codes of the CLI contract (SPEC section 7). */
export const EXIT = {
  ok: 0,
  failure: 1,
  changes: 2,
  usage: 64,
} as const;
