/**
 * Defines `key` on `target` as a value computed on first read and then fixed. Used for the
 * per-user attribute map: with 100,000 users and 50 attributes, building every map eagerly
 * costs more than the rest of resolution, and most commands read a handful of users.
 * The property is enumerable, so deep equality and iteration see it like a plain field.
 */
export function defineLazy<T extends object, K extends keyof T>(target: T, key: K, compute: () => T[K]): void {
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get(this: T) {
      const value = compute();
      Object.defineProperty(this, key, { value, enumerable: true, configurable: false, writable: false });
      return value;
    },
  });
}
