import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suggestionList } from '../../util/did-you-mean.js';
import { closeCandidates } from './close-candidates.js';

describe('closeCandidates', () => {
  it('never drops a candidate that did-you-mean would suggest', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A', '@', '.', 'é'), minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(word, fc.array(word, { maxLength: 20 }), (name, candidates) => {
        const kept = new Set(closeCandidates(name, candidates));
        for (const suggestion of suggestionList(name, candidates)) expect(kept.has(suggestion)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('drops names that share too few characters, ignoring case', () => {
    expect(closeCandidates('alice', ['alicia', 'bob', 'zzzzz', 'ALICE', 'alice.smith@acme.com'])).toEqual(['alicia', 'ALICE']);
  });
});
