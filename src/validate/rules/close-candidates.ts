/**
 * A cheap pre-filter for did-you-mean over large candidate sets (100,000 logins): keeps only the
 * names whose bag distance from `name` is within the edit-distance threshold of
 * `util/did-you-mean` (40% of the length, at least 1). Bag distance (how many characters one
 * side has that the other lacks) never exceeds the edit distance, transpositions included, so
 * no suggestion is lost; it costs one pass over each name instead of a quadratic table.
 */
export function closeCandidates(name: string, candidates: Iterable<string>): string[] {
  const wanted = name.toLowerCase();
  const threshold = Math.max(1, Math.floor(wanted.length * 0.4));
  const counts = new Map<number, number>();
  for (let i = 0; i < wanted.length; i++) counts.set(wanted.charCodeAt(i), (counts.get(wanted.charCodeAt(i)) ?? 0) + 1);
  // Per character code: how many of `name` remain unmatched in the current candidate. Reset per
  // candidate by a generation stamp rather than by clearing.
  const remaining = new Int32Array(65536);
  const stamp = new Int32Array(65536);
  let generation = 0;
  const close: string[] = [];
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - wanted.length) > threshold) continue;
    const lower = candidate.toLowerCase();
    generation++;
    let extra = 0;
    for (let i = 0; i < lower.length && extra <= threshold; i++) {
      const code = lower.charCodeAt(i);
      if (stamp[code] !== generation) {
        stamp[code] = generation;
        remaining[code] = counts.get(code) ?? 0;
      }
      if (remaining[code]! > 0) remaining[code]!--;
      else extra++;
    }
    if (extra > threshold) continue;
    // Characters of `name` the candidate lacks: |name| - (|candidate| - extra).
    const missing = wanted.length - (lower.length - extra);
    if (missing <= threshold) close.push(candidate);
  }
  return close;
}
