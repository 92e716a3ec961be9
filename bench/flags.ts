/** Command-line flags of the benchmark scripts: `--name VALUE`. */

export function stringFlag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}

export function numberFlag(name: string): number | undefined {
  const value = stringFlag(name);
  return value === undefined ? undefined : Number(value);
}
