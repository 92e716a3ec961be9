import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprint } from './canonical-json.js';
import { completed, continueJournal, readJournal, recordBindings, recordComplete, recordRequest, startJournal } from './journal.js';
import { bindRequest, idRef, isIdempotent, references, UnboundReferenceError } from './request.js';
import { backoffMs, retryAfterMs } from './retry-after.js';

describe('Retry-After', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  it('reads delay-seconds and HTTP dates', () => {
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Mon, 01 Jun 2026 12:00:30 GMT', now)).toBe(30_000);
    // A date in the past means "now", never a negative wait.
    expect(retryAfterMs('Mon, 01 Jun 2026 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read, so the caller backs off instead', () => {
    expect(retryAfterMs(null, now)).toBeNull();
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs('-5', now)).toBeNull();
  });
  it('backs off exponentially up to a cap', () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffMs(n, 500, 5000))).toEqual([500, 1000, 2000, 4000, 5000]);
  });
});

describe('placeholders', () => {
  const request = { method: 'POST' as const, path: `/groups/${idRef('group', 'vietnam')}/add_user/${idRef('user', 'a}}b@x.com')}`, body: { ids: [idRef('group', 'vietnam')], note: 'keep {{group:vietnam}} inside text' } };
  it('lists the ids a request needs, whatever the login holds', () => {
    expect(references(request)).toEqual(['group:vietnam', 'user:a%7D%7Db%40x.com']);
  });
  it('binds them, typed, and leaves text that merely contains one alone', () => {
    const bound = bindRequest(request, { 'group:vietnam': 12, 'user:a%7D%7Db%40x.com': 34 });
    expect(bound.path).toBe('/groups/12/add_user/34');
    expect(bound.body).toEqual({ ids: [12], note: 'keep {{group:vietnam}} inside text' });
  });
  it('refuses to send a request with an unknown id', () => {
    expect(() => bindRequest(request, { 'group:vietnam': 12 })).toThrow(UnboundReferenceError);
  });
  it('knows which requests are safe to repeat', () => {
    expect(isIdempotent({ method: 'PUT' })).toBe(true);
    expect(isIdempotent({ method: 'POST' })).toBe(false);
    expect(isIdempotent({ method: 'POST', alreadyDone: [409] })).toBe(true);
    expect(isIdempotent({ method: 'POST', idempotent: true })).toBe(true);
  });
});

describe('journal', () => {
  it('resumes only the same plan, keeps the latest outcome per request, and ignores a torn last line', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'warden-journal-test-'));
    const file = path.join(folder, '.warden', 't', 'journal.json');
    startJournal(file, 'abc', { 'group:a': 1 });
    recordRequest(file, { index: 0, method: 'PUT', path: '/x', outcome: 'failed', status: 500, attempts: 3 });
    recordRequest(file, { index: 0, method: 'PUT', path: '/x', outcome: 'done', status: 200, attempts: 1 });
    recordBindings(file, { 'group:b': 2 });
    recordRequest(file, { index: 1, method: 'POST', path: '/y', outcome: 'failed', status: null, attempts: 1, ambiguous: true });
    appendFileSync(file, '{"type":"request","index":2,"meth');
    const journal = readJournal(file)!;
    expect(journal).toMatchObject({ fingerprint: 'abc', bindings: { 'group:a': 1, 'group:b': 2 }, complete: false });
    expect(journal.entries.map((e) => [e.index, e.outcome])).toEqual([[0, 'done'], [1, 'failed']]);
    expect([...completed(journal, 'abc')]).toEqual([0]);
    expect([...completed(journal, 'other')]).toEqual([]);
    // A resumed run continues after the torn line.
    continueJournal(file);
    recordRequest(file, { index: 1, method: 'POST', path: '/y', outcome: 'done', status: 201, attempts: 1 });
    recordComplete(file);
    expect(readJournal(file)).toMatchObject({ complete: true, entries: [{ index: 0, outcome: 'done' }, { index: 1, outcome: 'done' }] });
    expect(readJournal(path.join(folder, 'none.json'))).toBeNull();
    writeFileSync(file, '{ not a journal');
    expect(readJournal(file)).toBeNull();
  });
});

describe('canonical JSON', () => {
  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
    expect(fingerprint({ a: 1, b: 2 })).toBe(fingerprint({ b: 2, a: 1 }));
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: 2 }));
  });
});
