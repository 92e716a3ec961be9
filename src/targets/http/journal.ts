import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Bindings, HttpMethod } from './request.js';

/**
 * The apply journal: one JSON file per target recording the outcome of every request of the
 * plan being applied. An apply of the same plan (same fingerprint) skips the requests recorded
 * as done and starts from the first one that is not, with the ids bound so far; a journal of
 * another plan is replaced. Written atomically (temp file + rename) after every request, so an
 * interruption at any point leaves a readable journal.
 */
export interface JournalEntry {
  index: number;
  method: HttpMethod;
  /** The path as planned (placeholders unbound): ids are not secrets but keep the file plan-shaped. */
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
  entries: JournalEntry[];
  complete: boolean;
}

export function readJournal(file: string): Journal | null {
  if (!existsSync(file)) return null;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Journal;
    if (parsed.version !== 1 || typeof parsed.fingerprint !== 'string' || !Array.isArray(parsed.entries)) return null;
    return parsed;
  } catch {
    // An unreadable journal cannot prove anything was done: start the plan from the beginning
    // (every request is idempotent or checked before it is repeated).
    return null;
  }
}

export function writeJournal(file: string, journal: Journal): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(journal, null, 2)}\n`);
  renameSync(temporary, file);
}

/** Indexes of the requests this journal records as done. */
export function completed(journal: Journal | null, fingerprint: string): Set<number> {
  if (journal === null || journal.fingerprint !== fingerprint) return new Set();
  return new Set(journal.entries.filter((entry) => entry.outcome === 'done').map((entry) => entry.index));
}
