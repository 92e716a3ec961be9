import { describe, expect, it } from 'vitest';
import { changeInPlace, PastMap } from './past-map.js';

describe('changeInPlace', () => {
  it('changes the map in place and leaves every earlier version reading as it was', () => {
    const live = new Map([['a', 1], ['b', 2], ['c', 3]]);
    const v0 = changeInPlace(live, new Map([['a', 10]]))!;
    const v1 = changeInPlace(live, new Map([['b', 20]]))!;
    const v2 = changeInPlace(live, new Map([['a', 100], ['c', 30]]))!;
    expect([...live]).toEqual([['a', 100], ['b', 20], ['c', 30]]);
    expect([...v2]).toEqual([['a', 10], ['b', 20], ['c', 3]]);
    expect([...v1]).toEqual([['a', 10], ['b', 2], ['c', 3]]);
    expect([...v0]).toEqual([['a', 1], ['b', 2], ['c', 3]]);
    expect(v0.get('b')).toBe(2);
    expect([...v0.keys()]).toEqual(['a', 'b', 'c']);
    expect([...v0.values()]).toEqual([1, 2, 3]);
    expect(v0.size).toBe(3);
    expect(new Map(v1).get('a')).toBe(10);
  });

  it('refuses new keys and past versions, and past versions refuse changes', () => {
    const live = new Map([['a', 1]]);
    expect(changeInPlace(live, new Map([['z', 1]]))).toBeNull();
    expect(live.has('z')).toBe(false);
    const past = changeInPlace(live, new Map([['a', 2]]))!;
    expect(past).toBeInstanceOf(PastMap);
    expect(changeInPlace(past, new Map([['a', 3]]))).toBeNull();
    expect(() => past.set()).toThrow();
    expect(() => past.delete()).toThrow();
  });
});
