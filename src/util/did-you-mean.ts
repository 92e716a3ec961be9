/**
 * "Did you mean …" suggestions for misspelt keys and names, in the manner of graphql-js's
 * suggestionList: candidates within an edit distance that grows with the length of the input,
 * closest first. Comparison ignores case so that `Country` finds `country`.
 */

/**
 * Edit distance with adjacent transpositions (optimal string alignment): `defualt` is one edit
 * from `default`, as a person counts typos, where plain Levenshtein would count two.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows: the transposition step looks two rows back.
  let previous2 = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, previous2[j - 2] + 1);
      current[j] = best;
    }
    [previous2, previous, current] = [previous, current, previous2];
  }
  return previous[b.length];
}

/**
 * Candidates close enough to `input` to be what was meant, closest first (ties by name).
 * Short inputs tolerate one edit; longer ones about 40% of their length.
 */
export function suggestionList(input: string, candidates: Iterable<string>): string[] {
  const wanted = input.toLowerCase();
  const threshold = Math.max(1, Math.floor(wanted.length * 0.4));
  const scored: Array<{ name: string; distance: number }> = [];
  for (const name of new Set(candidates)) {
    if (name === input) continue;
    const lower = name.toLowerCase();
    // Same letters in another case count as the closest possible miss.
    const distance = lower === wanted ? 0.5 : editDistance(wanted, lower);
    if (distance <= threshold) scored.push({ name, distance });
  }
  scored.sort((x, y) => x.distance - y.distance || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return scored.map((s) => s.name);
}

/** The closest candidate, if any is close enough. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  return suggestionList(input, candidates)[0];
}

/**
 * A ready-made hint: `did you mean "x"?` (up to three names), else — when the candidates are
 * few enough to read — the list of what is allowed, else undefined.
 */
export function suggestionHint(input: string, candidates: Iterable<string>, listUpTo = 12): string | undefined {
  const all = [...new Set(candidates)].sort();
  const close = suggestionList(input, all).slice(0, 3);
  if (close.length > 0) return `did you mean ${joinOr(close.map((name) => `"${name}"`))}?`;
  if (all.length > 0 && all.length <= listUpTo) return `expected one of: ${all.join(', ')}`;
  return undefined;
}

function joinOr(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
