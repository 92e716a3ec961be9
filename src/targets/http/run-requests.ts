import { HttpError, type HttpClient } from './client.js';
import { completed, continueJournal, readJournal, recordBindings, recordComplete, recordRequest, startJournal, type JournalEntry } from './journal.js';
import { bindRequest, isIdempotent, pluck, UnboundReferenceError, type Bindings, type PlatformRequest } from './request.js';

/**
 * Sends a plan's requests in order, recording each outcome in the journal, and stops at the
 * first failure (later requests may depend on it). Requests already recorded as done for the
 * same plan fingerprint are skipped, so re-running an interrupted apply resumes it.
 */
export interface RequestResult {
  index: number;
  total: number;
  request: PlatformRequest;
  outcome: 'done' | 'skipped' | 'failed';
  status: number | null;
  attempts: number;
  error?: string;
}

export interface RunOptions {
  client: HttpClient;
  requests: PlatformRequest[];
  fingerprint: string;
  journalPath: string;
  /** Ids known from the live state read at plan time. */
  bindings?: Bindings;
  /** Called after every request: progress and per-request results. */
  onResult?: (result: RequestResult) => void;
  /** Stops before sending the next request (an operator's Ctrl-C; tests interrupt with it). */
  signal?: AbortSignal;
  /** Re-reads ids from the platform when a request names one not yet known (e.g. a user invited earlier). */
  refreshBindings?: () => Promise<Bindings>;
  /**
   * After a non-idempotent request ended without a known outcome: whether its effect is
   * visible on the platform (then it is not sent again). Returns the bindings it produced.
   */
  confirmApplied?: (request: PlatformRequest) => Promise<{ applied: boolean; bindings?: Bindings }>;
}

export interface RunSummary {
  results: RequestResult[];
  done: number;
  skipped: number;
  failed: number;
  /** False when stopped by a failure or the signal before the end. */
  complete: boolean;
}

export async function runRequests(options: RunOptions): Promise<RunSummary> {
  const { requests, fingerprint, journalPath } = options;
  const previous = readJournal(journalPath);
  const alreadyDone = completed(previous, fingerprint);
  const samePlan = previous?.fingerprint === fingerprint;
  const uncertain = new Set(samePlan ? previous!.entries.filter((e) => e.outcome === 'failed' && e.ambiguous).map((e) => e.index) : []);
  const state: RunState = { bindings: { ...(options.bindings ?? {}), ...(samePlan ? previous!.bindings : {}) }, learned: {} };
  if (samePlan) continueJournal(journalPath);
  else startJournal(journalPath, fingerprint, state.bindings);
  const results: RequestResult[] = [];
  const report = (result: RequestResult): void => {
    results.push(result);
    options.onResult?.(result);
  };
  const total = requests.length;
  for (const [index, request] of requests.entries()) {
    if (alreadyDone.has(index)) {
      report({ index, total, request, outcome: 'skipped', status: null, attempts: 0 });
      continue;
    }
    if (options.signal?.aborted) return summarise(results, false);
    // A create killed in flight (SIGKILL, power loss) leaves no answer: mark it uncertain before
    // sending, so a resumed apply looks at the platform instead of creating it a second time.
    if (!isIdempotent(request) && !uncertain.has(index)) {
      recordRequest(journalPath, { index, method: request.method, path: request.path, outcome: 'failed', status: null, attempts: 0, error: 'interrupted in flight', ambiguous: true });
    }
    const entry = (uncertain.has(index) ? await confirmEarlier(options, state, index, request) : null) ?? (await runOne(options, state, index, request));
    // Ids first: a request recorded as done must never lack the ids it produced.
    recordBindings(journalPath, state.learned);
    state.learned = {};
    recordRequest(journalPath, entry);
    report({ index, total, request, outcome: entry.outcome, status: entry.status, attempts: entry.attempts, ...(entry.error ? { error: entry.error } : {}) });
    if (entry.outcome === 'failed') return summarise(results, false);
  }
  recordComplete(journalPath);
  return summarise(results, true);
}

/** Ids known so far, and those learnt since the last journal line. */
interface RunState {
  bindings: Bindings;
  learned: Bindings;
}

function learn(state: RunState, bindings: Bindings): void {
  for (const [key, value] of Object.entries(bindings)) {
    if (state.bindings[key] === value) continue;
    state.bindings[key] = value;
    state.learned[key] = value;
  }
}

async function runOne(options: RunOptions, state: RunState, index: number, request: PlatformRequest): Promise<JournalEntry> {
  const base = { index, method: request.method, path: request.path };
  let bound: PlatformRequest;
  try {
    bound = bindRequest(request, state.bindings);
  } catch (problem) {
    if (!(problem instanceof UnboundReferenceError)) throw problem;
    // An id not known yet (e.g. a user invited by an earlier request): read the platform once more.
    try {
      if (options.refreshBindings) learn(state, await options.refreshBindings());
      bound = bindRequest(request, state.bindings);
    } catch (again) {
      if (!(again instanceof UnboundReferenceError) && !(again instanceof HttpError)) throw again;
      return { ...base, outcome: 'failed', status: null, attempts: 0, error: again.message };
    }
  }
  let attempts = 0;
  // A non-idempotent request is sent again only after the platform shows it did not land.
  for (let round = 0; round < 3; round++) {
    try {
      const response = await options.client.send(bound.method, bound.path, bound.body, {
        accept: request.alreadyDone,
        idempotent: isIdempotent(request),
        signal: options.signal,
      });
      attempts += response.attempts;
      if (request.bind) {
        const value = pluck(response.body, request.bind.from);
        if (typeof value === 'string' || typeof value === 'number') learn(state, { [request.bind.name]: value });
        else if (!request.alreadyDone?.includes(response.status)) {
          return { ...base, outcome: 'failed', status: response.status, attempts, error: `response has no ${request.bind.from.join('.')}` };
        }
      }
      return { ...base, outcome: 'done', status: response.status, attempts };
    } catch (problem) {
      if (!(problem instanceof HttpError)) throw problem;
      attempts += problem.attempts;
      if (problem.ambiguous && options.confirmApplied !== undefined && !options.signal?.aborted) {
        const check = await options.confirmApplied(request);
        if (check.applied) {
          learn(state, check.bindings ?? {});
          return { ...base, outcome: 'done', status: problem.status, attempts };
        }
        continue;
      }
      return { ...base, outcome: 'failed', status: problem.status, attempts, error: problem.message, ...(problem.ambiguous ? { ambiguous: true } : {}) };
    }
  }
  return { ...base, outcome: 'failed', status: null, attempts, error: 'the platform kept failing without a known outcome' };
}

/**
 * A request the previous run left without a known outcome (interrupted in flight): if the
 * platform shows its effect, it is done; sending it again could duplicate it.
 */
async function confirmEarlier(options: RunOptions, state: RunState, index: number, request: PlatformRequest): Promise<JournalEntry | null> {
  if (options.confirmApplied === undefined) return null;
  const check = await options.confirmApplied(request);
  if (!check.applied) return null;
  learn(state, check.bindings ?? {});
  return { index, method: request.method, path: request.path, outcome: 'done', status: null, attempts: 0 };
}

function summarise(results: RequestResult[], complete: boolean): RunSummary {
  return {
    results,
    done: results.filter((r) => r.outcome === 'done').length,
    skipped: results.filter((r) => r.outcome === 'skipped').length,
    failed: results.filter((r) => r.outcome === 'failed').length,
    complete,
  };
}
