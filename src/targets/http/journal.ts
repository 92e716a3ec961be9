import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Bindings, HttpMethod } from './request.js';

/**
 * The apply journal: the outcome of every request of the plan being applied, so that an apply of
 * the same plan (same fingerprint) skips what is done and resumes at the first request that is
 * not, with the ids bound so far; a journal of another plan is replaced.
 *
 * The file is JSON Lines, appended after every request: a plan line, then request, bindings and
 * complete lines. Appending keeps an apply of 100,000 requests linear (rewriting one JSON document
 * per request would not be), and an interruption at any point leaves every finished line intact;
 * a half-written last line is ignored.
 */
export interface JournalEntry {
  index: number;
  method: HttpMethod;
  /** The path as planned (placeholders unbound). */
  path: string;
  outcome: 'done' | 'failed';
  status: number | null;
  attempts: number;
  error?: string;
  /** The request may have landed (a non-idempotent request without an answer): look before resending. */
  ambiguous?: boolean;
}

export interface Journal {
  version: 1;
  fingerprint: string;
  bindings: Bindings;
  /** The latest outcome per request index, sorted by index. */
  entries: JournalEntry[];
  complete: boolean;
}

type Line =
  | { type: 'plan'; version: 1; fingerprint: string }
  | { type: 'bindings'; bindings: Bindings }
  | ({ type: 'request' } & JournalEntry)
  | { type: 'complete' };

export function readJournal(file: string): Journal | null {
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n');
  let journal: Journal | null = null;
  const entries = new Map<number, JournalEntry>();
  for (const text of lines) {
    if (text.trim() === '') continue;
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      // A line torn by an interruption; resuming starts a new line after it (`continueJournal`).
      continue;
    }
    if (line.type === 'plan') {
      if (journal !== null || line.version !== 1 || typeof line.fingerprint !== 'string') return null;
      journal = { version: 1, fingerprint: line.fingerprint, bindings: {}, entries: [], complete: false };
    } else if (journal === null) {
      // An unreadable journal cannot prove anything was done: start the plan from the beginning.
      return null;
    } else if (line.type === 'bindings') {
      Object.assign(journal.bindings, line.bindings);
    } else if (line.type === 'request') {
      const { type: _type, ...entry } = line;
      entries.set(entry.index, entry);
    } else if (line.type === 'complete') {
      journal.complete = true;
    }
  }
  if (journal === null) return null;
  journal.entries = [...entries.values()].sort((a, b) => a.index - b.index);
  return journal;
}

/** Starts a journal for a plan (replacing any other), with the bindings known at plan time. */
export function startJournal(file: string, fingerprint: string, bindings: Bindings): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ type: 'plan', version: 1, fingerprint })}\n${JSON.stringify({ type: 'bindings', bindings })}\n`);
}

/** Before appending to the journal of an interrupted run: end a torn last line. */
export function continueJournal(file: string): void {
  const text = readFileSync(file, 'utf8');
  if (text.length > 0 && !text.endsWith('\n')) appendFileSync(file, '\n');
}

export function recordRequest(file: string, entry: JournalEntry): void {
  appendFileSync(file, `${JSON.stringify({ type: 'request', ...entry })}\n`);
}

export function recordBindings(file: string, bindings: Bindings): void {
  if (Object.keys(bindings).length > 0) appendFileSync(file, `${JSON.stringify({ type: 'bindings', bindings })}\n`);
}

export function recordComplete(file: string): void {
  appendFileSync(file, `${JSON.stringify({ type: 'complete' })}\n`);
}

/** Indexes of the requests this journal records as done. */
export function completed(journal: Journal | null, fingerprint: string): Set<number> {
  if (journal === null || journal.fingerprint !== fingerprint) return new Set();
  return new Set(journal.entries.filter((entry) => entry.outcome === 'done').map((entry) => entry.index));
}
