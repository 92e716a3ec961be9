/** A child process's output, read in order: each `next` waits for a pattern after the previous match. */
export class Output {
  text = '';
  private cursor = 0;
  private waiters: (() => void)[] = [];
  push(chunk: string) {
    this.text += chunk;
    for (const wake of this.waiters.splice(0)) wake();
  }
  /** Waits until `pattern` appears after everything matched so far; returns the text up to it. */
  async next(pattern: RegExp | string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.text.slice(this.cursor);
      const index = typeof pattern === 'string' ? rest.indexOf(pattern) : rest.search(pattern);
      if (index >= 0) {
        const length = typeof pattern === 'string' ? pattern.length : (rest.slice(index).match(pattern)?.[0].length ?? 0);
        const seen = rest.slice(0, index + length);
        this.cursor += index + length;
        return seen;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; output after the last match:\n${rest}`);
      await new Promise<void>((wake) => {
        this.waiters.push(wake);
        setTimeout(wake, 200);
      });
    }
  }
}
