/**
 * Compares query rows (PostgreSQL text output, null for NULL) with the rows a test expects (YAML
 * scalars) and renders a line diff: `-` expected only, `+` actual only, two spaces for both.
 */

export type Expected = string | number | boolean | null;

export function cellMatches(expected: Expected, actual: string | null): boolean {
  if (expected === null || actual === null) return expected === actual;
  if (typeof expected === 'number') return actual.trim() !== '' && Number(actual) === expected;
  if (typeof expected === 'boolean') return actual === (expected ? 't' : 'f') || actual === String(expected);
  return actual === expected;
}

export function rowsMatch(expected: readonly Expected[][], actual: readonly (string | null)[][]): boolean {
  return expected.length === actual.length && expected.every((row, i) => rowMatches(row, actual[i]));
}

function rowMatches(expected: readonly Expected[], actual: readonly (string | null)[]): boolean {
  return expected.length === actual.length && expected.every((cell, i) => cellMatches(cell, actual[i]));
}

export function showRow(row: readonly Expected[]): string {
  return `[${row.map((v) => (v === null ? 'NULL' : typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ')}]`;
}

/** Database text shown as YAML would write it: numbers bare, text quoted. */
function showActual(row: readonly (string | null)[]): string {
  return showRow(row.map((v) => (v !== null && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v)));
}

/** Longest-common-subsequence line diff of two row lists (rows match by `rowMatches`). */
export function diffRows(expected: readonly Expected[][], actual: readonly (string | null)[][]): string[] {
  const n = expected.length;
  const m = actual.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = rowMatches(expected[i], actual[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && rowMatches(expected[i], actual[j])) {
      out.push(`  ${showRow(expected[i])}`);
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out.push(`+ ${showActual(actual[j++])}`);
    } else {
      out.push(`- ${showRow(expected[i++])}`);
    }
  }
  return out;
}
