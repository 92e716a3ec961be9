import { fingerprint } from './canonical-json.js';
import type { HttpClient } from './client.js';
import { readJournal } from './journal.js';
import type { Bindings, PlatformRequest } from './request.js';
import { runRequests, type RequestResult, type RunSummary } from './run-requests.js';

/**
 * Plan and apply for targets that have an admin API (GoodData, Holistics). A target supplies a
 * `PlatformAdapter` built from its desired state; this module reads the live state through it,
 * diffs, and applies the resulting requests with the journal.
 */

/** One object-level change, as `plan` lists it. `before`/`after` are the object's whole state. */
export interface PlatformChange {
  action: 'create' | 'update' | 'delete';
  /** e.g. `user`, `userGroup`, `userDataFilter`, `membership`, `attributeEntry`. */
  kind: string;
  /** The object's name as the policy knows it (login, group name, …). */
  id: string;
  before?: unknown;
  after?: unknown;
}

/**
 * The access diff of a platform plan: per user whose access changes, what decides the user's rows
 * on the platform before and after apply (Holistics: each user attribute's effective values;
 * GoodData: the data-permission filter), as printable text. `null`: the user is not on the platform.
 */
export interface PlatformAccessChange {
  user: string;
  before: Record<string, string> | null;
  after: Record<string, string> | null;
}

export interface PlatformDiff {
  /** Who gains or loses what (sorted by user); absent when the target cannot say. */
  access?: PlatformAccessChange[];
  changes: PlatformChange[];
  requests: PlatformRequest[];
  /** Ids of existing objects, for the requests' placeholders. */
  bindings: Bindings;
  /** Things a reviewer should know that are not changes (e.g. platform users the policies do not name). */
  notes?: string[];
}

export interface PlatformAdapter<Live = unknown> {
  /** Reads everything the target manages from the platform. */
  readLive(client: HttpClient): Promise<Live>;
  /** Desired state vs live state: changes (sorted) and the requests that make them, in apply order. */
  diff(live: Live): PlatformDiff;
  refreshBindings?(client: HttpClient): Promise<Bindings>;
  confirmApplied?(client: HttpClient, request: PlatformRequest): Promise<{ applied: boolean; bindings?: Bindings }>;
}

export interface PlatformPlan {
  version: 1;
  target: string;
  type: string;
  changes: PlatformChange[];
  requests: PlatformRequest[];
  bindings: Bindings;
  notes: string[];
  /** Per user, the access before and after (see PlatformAccessChange); empty when nothing changes. */
  access?: PlatformAccessChange[];
  /** Fingerprint of the live state the plan was made against: apply refuses if it moved. */
  liveFingerprint: string;
  /** Fingerprint of the requests and bindings: the journal key. */
  fingerprint: string;
}

export async function planPlatform<Live>(options: {
  target: string;
  type: string;
  adapter: PlatformAdapter<Live>;
  client: HttpClient;
}): Promise<PlatformPlan> {
  const live = await options.adapter.readLive(options.client);
  const diff = options.adapter.diff(live);
  return {
    version: 1,
    target: options.target,
    type: options.type,
    changes: diff.changes,
    requests: diff.requests,
    bindings: diff.bindings,
    notes: diff.notes ?? [],
    access: diff.access ?? [],
    liveFingerprint: fingerprint(live),
    fingerprint: fingerprint({ target: options.target, requests: diff.requests, bindings: diff.bindings }),
  };
}

export interface ApplyOptions<Live> {
  plan: PlatformPlan;
  adapter: PlatformAdapter<Live>;
  client: HttpClient;
  /** e.g. `.warden/<target>/journal.json` under the project root. */
  journalPath: string;
  onResult?: (result: RequestResult) => void;
  signal?: AbortSignal;
}

export type ApplyOutcome =
  | ({ status: 'applied' | 'incomplete' } & RunSummary)
  | { status: 'refused'; reason: string };

/**
 * Applies a plan. A fresh apply first checks that the platform is still in the state the plan
 * was made against (someone else may have changed it: applying a stale plan could undo their
 * change or miss one); an apply that resumes a journal of this very plan skips that check, since
 * its own earlier requests moved the state.
 */
export async function applyPlatform<Live>(options: ApplyOptions<Live>): Promise<ApplyOutcome> {
  const { plan, adapter, client } = options;
  const journal = readJournal(options.journalPath);
  const resuming = journal !== null && journal.fingerprint === plan.fingerprint && !journal.complete;
  if (journal !== null && journal.fingerprint === plan.fingerprint && journal.complete) {
    return { status: 'refused', reason: 'this plan has already been applied; run plan again' };
  }
  if (!resuming) {
    const live = await adapter.readLive(client);
    if (fingerprint(live) !== plan.liveFingerprint) {
      return { status: 'refused', reason: `the state of target "${plan.target}" changed since the plan was made; run plan again` };
    }
  }
  const summary = await runRequests({
    client,
    requests: plan.requests,
    fingerprint: plan.fingerprint,
    journalPath: options.journalPath,
    bindings: plan.bindings,
    onResult: options.onResult,
    signal: options.signal,
    refreshBindings: adapter.refreshBindings ? () => adapter.refreshBindings!(client) : undefined,
    confirmApplied: adapter.confirmApplied ? (request) => adapter.confirmApplied!(client, request) : undefined,
  });
  return { status: summary.complete ? 'applied' : 'incomplete', ...summary };
}
