import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HttpClient } from './client.js';
import { readJournal } from './journal.js';
import { idRef, type PlatformRequest } from './request.js';
import { runRequests, type RequestResult } from './run-requests.js';

/** A platform stand-in: answers by path, records what it was sent. */
function fakePlatform(answer: (method: string, path: string) => { status: number; body?: unknown }) {
  const sent: string[] = [];
  const fetch = (async (url: string | URL, init?: RequestInit) => {
    const pathname = new URL(String(url)).pathname;
    sent.push(`${init?.method} ${pathname}`);
    const { status, body } = answer(String(init?.method), pathname);
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  }) as typeof globalThis.fetch;
  return { sent, client: new HttpClient({ baseUrl: 'http://platform.test', auth: { name: 'X-Key', value: 'k' }, fetch, sleep: async () => {} }) };
}

const journal = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'warden-run-')), 'journal.json');

describe('runRequests', () => {
  it('binds ids learnt from earlier responses, counts "already exists" as done, and reports progress', async () => {
    const { sent, client } = fakePlatform((method, p) => (p === '/groups' ? { status: 201, body: { group: { id: 7 } } } : p === '/things' ? { status: 409 } : { status: 200, body: {} }));
    const requests: PlatformRequest[] = [
      { method: 'POST', path: '/groups', body: { group: { name: 'g' } }, bind: { name: 'group:g', from: ['group', 'id'] } },
      { method: 'POST', path: `/groups/${idRef('group', 'g')}/add_user/5`, idempotent: true },
      { method: 'POST', path: '/things', alreadyDone: [409] },
    ];
    const progress: RequestResult[] = [];
    const file = journal();
    const summary = await runRequests({ client, requests, fingerprint: 'f', journalPath: file, onResult: (r) => progress.push(r) });
    expect(summary).toMatchObject({ complete: true, done: 3, failed: 0 });
    expect(sent).toEqual(['POST /groups', 'POST /groups/7/add_user/5', 'POST /things']);
    expect(progress.map((r) => `${r.index + 1}/${r.total} ${r.outcome} ${r.status}`)).toEqual(['1/3 done 201', '2/3 done 200', '3/3 done 409']);
    expect(readJournal(file)).toMatchObject({ complete: true, bindings: { 'group:g': 7 } });
  });

  it('fails (and stops) on an id it cannot bind, rather than sending a guess', async () => {
    const { sent, client } = fakePlatform(() => ({ status: 200, body: {} }));
    const requests: PlatformRequest[] = [
      { method: 'POST', path: `/groups/${idRef('group', 'missing')}/add_user/1`, idempotent: true },
      { method: 'PUT', path: '/after' },
    ];
    const summary = await runRequests({ client, requests, fingerprint: 'f', journalPath: journal() });
    expect(summary).toMatchObject({ complete: false, failed: 1, done: 0 });
    expect(summary.results[0].error).toContain('group "missing"');
    expect(sent).toEqual([]);
  });

  it('does not repeat a non-idempotent request after a 5xx unless the platform shows it did not land', async () => {
    const flaky = () => {
      let calls = 0;
      return fakePlatform(() => (++calls === 1 ? { status: 502 } : { status: 201, body: { id: 1 } }));
    };
    const first = flaky();
    const landed = await runRequests({ client: first.client, requests: [{ method: 'POST', path: '/create' }], fingerprint: 'a', journalPath: journal(), confirmApplied: async () => ({ applied: true }) });
    expect(landed).toMatchObject({ complete: true, done: 1 });
    expect(first.sent).toEqual(['POST /create']);
    const second = flaky();
    const lost = await runRequests({ client: second.client, requests: [{ method: 'POST', path: '/create' }], fingerprint: 'b', journalPath: journal(), confirmApplied: async () => ({ applied: false }) });
    expect(lost).toMatchObject({ complete: true, done: 1 });
    expect(second.sent).toEqual(['POST /create', 'POST /create']);
    // Without a way to look, an unknown outcome is a failure, never a blind resend.
    const third = flaky();
    const unknown = await runRequests({ client: third.client, requests: [{ method: 'POST', path: '/create' }], fingerprint: 'c', journalPath: journal() });
    expect(unknown).toMatchObject({ complete: false, failed: 1 });
    expect(third.sent).toEqual(['POST /create']);
  });
});
