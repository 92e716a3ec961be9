import { statSync } from 'node:fs';
import { DiagnosticsError, error, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { discoverFiles, loadOne } from '../load/load-files.js';
import type { LoadedDocument, LoadResult } from '../load/types.js';
import type { PolicySet } from '../model/policy.js';
import type { ResolvedModel } from '../resolve/model.js';
import { resolve } from '../resolve/resolve.js';
import { validatePolicies } from '../validate/validate.js';

/**
 * The policy project as watch mode keeps it: every file's parsed documents stay in memory and
 * only files that are new, changed (size or mtime, or named by the watcher) are read and parsed
 * again; deleted and renamed files drop out. Each update then validates and resolves the whole
 * set again, so what watch shows is exactly what `warden validate` would say. Bad input of any
 * kind becomes diagnostics; an update never throws.
 */

interface FileEntry {
  documents: LoadedDocument[];
  diagnostics: Diagnostic[];
  text: string | undefined;
  stamp: string;
}

export interface UpdateTimings {
  /** Discovering files and re-reading the changed ones. */
  loadMs: number;
  validateMs: number;
  resolveMs: number;
}

export interface ProjectState {
  /** Null whenever there is any error. */
  model: ResolvedModel | null;
  policy: PolicySet | null;
  /** Sorted. */
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
  /** Files read and parsed in this update (all of them the first time). */
  reparsed: string[];
  /** Files that disappeared since the previous update. */
  removed: string[];
  timings: UpdateTimings;
}

export interface IncrementalOptions {
  /** The moment expiry checks are made against; called on every update. */
  now?: () => Date;
}

export class IncrementalProject {
  private readonly files = new Map<string, FileEntry>();

  constructor(
    readonly root: string,
    readonly folders: readonly string[],
    private readonly options: IncrementalOptions = {},
  ) {}

  /**
   * Brings the project up to date with the disk. `hints` are project-relative paths the watcher
   * reported; they are re-read even if their size and mtime look unchanged (an editor can save
   * twice within the clock's resolution).
   */
  update(hints: Iterable<string> = []): ProjectState {
    const started = performance.now();
    const hinted = new Set(hints);
    const discovery: Diagnostic[] = [];
    const present = discoverFiles(this.root, this.folders, discovery);
    const removed = [...this.files.keys()].filter((file) => !present.includes(file));
    for (const file of removed) this.files.delete(file);
    const reparsed: string[] = [];
    for (const file of present) {
      const stamp = fileStamp(this.root, file);
      const known = this.files.get(file);
      if (known && known.stamp === stamp && !hinted.has(file)) continue;
      const result: LoadResult = { documents: [], diagnostics: [], sources: new Map() };
      loadOne(this.root, file, result);
      this.files.set(file, { documents: result.documents, diagnostics: result.diagnostics, text: result.sources.get(file), stamp });
      reparsed.push(file);
    }
    const load = this.assemble(present, discovery);
    const loadMs = performance.now() - started;
    const state: ProjectState = { model: null, policy: null, diagnostics: [], sources: load.sources, reparsed, removed, timings: { loadMs, validateMs: 0, resolveMs: 0 } };
    if (hasErrors(load.diagnostics)) {
      state.diagnostics = sortDiagnostics(load.diagnostics);
      return state;
    }
    try {
      const validateStart = performance.now();
      const validated = validatePolicies(load);
      state.timings.validateMs = performance.now() - validateStart;
      const diagnostics = [...load.diagnostics, ...validated.diagnostics];
      if (validated.policy === null || hasErrors(diagnostics)) {
        state.diagnostics = sortDiagnostics(diagnostics);
        return state;
      }
      const resolveStart = performance.now();
      const model = resolve(validated.policy, { now: this.options.now?.() });
      state.timings.resolveMs = performance.now() - resolveStart;
      diagnostics.push(...model.diagnostics);
      state.diagnostics = sortDiagnostics(diagnostics);
      if (!hasErrors(diagnostics)) {
        state.model = model;
        state.policy = validated.policy;
      }
    } catch (caught) {
      // Watch mode must survive anything: report, keep the last valid state, keep watching.
      state.diagnostics = sortDiagnostics(
        caught instanceof DiagnosticsError
          ? caught.diagnostics
          : [error('E-INTERNAL', `checking the policies failed: ${caught instanceof Error ? caught.message : String(caught)}`, { file: present[0] ?? '.', line: 1, column: 1 }, { hint: 'this is a bug in warden; please report it' })],
      );
    }
    return state;
  }

  /** The files currently known, in load order. */
  knownFiles(): string[] {
    return [...this.files.keys()].sort();
  }

  private assemble(present: readonly string[], discovery: Diagnostic[]): LoadResult {
    const load: LoadResult = { documents: [], diagnostics: [...discovery], sources: new Map() };
    for (const file of present) {
      const entry = this.files.get(file);
      if (!entry) continue;
      load.documents.push(...entry.documents);
      load.diagnostics.push(...entry.diagnostics);
      if (entry.text !== undefined) load.sources.set(file, entry.text);
    }
    return load;
  }
}

/** Size, mtime and inode: cheap to read for every file on every update, and changes on any save. */
function fileStamp(root: string, file: string): string {
  try {
    const s = statSync(`${root}/${file}`, { bigint: true });
    return `${s.size}:${s.mtimeNs}:${s.ino}`;
  } catch {
    return 'missing';
  }
}
