import { describe, expect, it } from 'vitest';
import type { UserDef } from '../model/policy.js';
import { directGroupNames } from './membership.js';

const at = { file: 'users.yaml', line: 1, column: 1 };
const user = (...groups: string[]): UserDef => ({
  login: 'ann',
  loc: at,
  groups: groups.map((value) => ({ value, loc: at })),
  attributes: new Map(),
  admin: false,
  disabled: false,
});
const member = (...groups: string[]) => groups.map((group) => ({ group }));

describe('directGroupNames', () => {
  it('lists own groups in order, then members lists, then the default group, each once', () => {
    expect(directGroupNames(user(), [], 'everyone')).toEqual(['everyone']);
    expect(directGroupNames(user('a'), [], 'everyone')).toEqual(['a', 'everyone']);
    expect(directGroupNames(user('everyone'), [], 'everyone')).toEqual(['everyone']);
    expect(directGroupNames(user('b', 'a'), [], 'everyone')).toEqual(['b', 'a', 'everyone']);
    expect(directGroupNames(user('a', 'a'), [], 'everyone')).toEqual(['a', 'everyone']);
    expect(directGroupNames(user('a', 'everyone'), [], 'everyone')).toEqual(['a', 'everyone']);
    expect(directGroupNames(user('everyone', 'a'), [], 'everyone')).toEqual(['everyone', 'a']);
    expect(directGroupNames(user('c', 'b', 'a'), [], 'everyone')).toEqual(['c', 'b', 'a', 'everyone']);
    expect(directGroupNames(user('a'), member('m', 'a'), 'everyone')).toEqual(['a', 'm', 'everyone']);
    expect(directGroupNames(user(), member('everyone'), 'everyone')).toEqual(['everyone']);
  });

  it('returns a fresh list each time (callers keep it per user)', () => {
    const first = directGroupNames(user('c', 'b', 'a'), [], 'everyone');
    const second = directGroupNames(user('x', 'y', 'z'), [], 'everyone');
    expect(first).toEqual(['c', 'b', 'a', 'everyone']);
    expect(second).not.toBe(first);
  });
});
