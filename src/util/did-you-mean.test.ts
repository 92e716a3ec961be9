import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, suggestionHint, suggestionList } from './did-you-mean.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('groups', 'groups')).toBe(0);
  });

  it('counts a swap of neighbouring letters as one edit', () => {
    expect(editDistance('defualt', 'default')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
  });

  it('is symmetric', () => {
    for (const [a, b] of [['inherits', 'inherit'], ['subjetcs', 'subjects'], ['x', 'yz']]) {
      expect(editDistance(a, b)).toBe(editDistance(b, a));
    }
  });
});

describe('suggestionList', () => {
  const keys = ['description', 'inherits', 'roles', 'subjects', 'attributes', 'home', 'api_keys', 'members'];

  it('finds a misspelt key', () => {
    expect(suggestionList('inherit', keys)).toEqual(['inherits']);
    expect(suggestionList('subjetcs', keys)).toEqual(['subjects']);
    expect(didYouMean('atributes', keys)).toBe('attributes');
  });

  it('ignores case, ranking a case-only difference first', () => {
    expect(suggestionList('Roles', ['roles', 'role'])).toEqual(['roles', 'role']);
  });

  it('suggests nothing for an unrelated word', () => {
    expect(suggestionList('warehouse', keys)).toEqual([]);
    expect(didYouMean('zz', keys)).toBeUndefined();
  });

  it('never suggests the input itself', () => {
    expect(suggestionList('home', keys)).toEqual([]);
  });

  it('orders ties by name so output is deterministic', () => {
    expect(suggestionList('cat', ['hat', 'bat', 'cab'])).toEqual(['bat', 'cab', 'hat']);
  });
});

describe('suggestionHint', () => {
  it('names the closest candidates', () => {
    expect(suggestionHint('grups', ['groups', 'users'])).toBe('did you mean "groups"?');
    expect(suggestionHint('cat', ['hat', 'bat', 'cab', 'mat'])).toBe('did you mean "bat", "cab" or "hat"?');
  });

  it('lists a short set of allowed values when nothing is close', () => {
    expect(suggestionHint('xyz', ['enabled', 'disabled'])).toBe('expected one of: disabled, enabled');
  });

  it('stays silent for a long list with no close match', () => {
    const many = Array.from({ length: 20 }, (_, i) => `name${i}`);
    expect(suggestionHint('completely-different', many)).toBeUndefined();
  });
});
