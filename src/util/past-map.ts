/**
 * Changing a large Map in place while whoever still holds its previous version keeps reading
 * that version (watch mode: a one-user edit of 100,000 users must not copy the user maps, and
 * the previous model must stay as it was for the access diff).
 *
 * `changeInPlace(map, changes)` sets the new values in `map` (keys must already be there: the
 * set of keys and their order stay the same) and returns a read-only `PastMap` that reads as
 * `map` did before. Earlier PastMaps of the same map are re-pointed at the new one, so every
 * version reads as it was, each look-up walking one link per later edit.
 */
export class PastMap<K, V> extends Map<K, V> {
  constructor(
    /** The version after this one (the live map, or a PastMap of a later version). */
    private newer: Map<K, V>,
    /** This version's values of the keys that the next edit changed. */
    private readonly changed: Map<K, V>,
  ) {
    super();
  }

  /** @internal */
  repoint(newer: Map<K, V>): void {
    this.newer = newer;
  }

  override get(key: K): V | undefined {
    return this.changed.has(key) ? this.changed.get(key) : this.newer.get(key);
  }

  override has(key: K): boolean {
    return this.newer.has(key);
  }

  override get size(): number {
    return this.newer.size;
  }

  override keys(): MapIterator<K> {
    return this.newer.keys();
  }

  override *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  override *entries(): MapIterator<[K, V]> {
    for (const [key, value] of this.newer) yield [key, this.changed.has(key) ? this.changed.get(key)! : value];
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  override forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  override set(): this {
    throw new Error('a past version of a map cannot be changed');
  }

  override delete(): boolean {
    throw new Error('a past version of a map cannot be changed');
  }

  override clear(): void {
    throw new Error('a past version of a map cannot be changed');
  }
}

/** The newest PastMap of each live map, to re-point when the map changes again. */
const latest = new WeakMap<Map<unknown, unknown>, PastMap<unknown, unknown>>();

/**
 * Sets `changes` in `map` (every key already in it) and returns the version from before.
 * Returns null, changing nothing, when a key is not in `map`: copy the map instead.
 */
export function changeInPlace<K, V>(map: Map<K, V>, changes: ReadonlyMap<K, V>): PastMap<K, V> | null {
  if (map instanceof PastMap) return null;
  for (const key of changes.keys()) if (!map.has(key)) return null;
  const before = new Map<K, V>();
  for (const key of changes.keys()) before.set(key, map.get(key)!);
  const past = new PastMap(map, before);
  (latest.get(map) as PastMap<K, V> | undefined)?.repoint(past);
  latest.set(map, past as PastMap<unknown, unknown>);
  for (const [key, value] of changes) map.set(key, value);
  return past;
}
