import { statSync } from 'node:fs';
import { DiagnosticsError, error, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { discoverFiles, loadText, readPolicyText } from '../load/load-files.js';
import { reparseItems } from '../load/reparse-items.js';
import type { LoadedDocument, LoadResult } from '../load/types.js';
import type { PolicySet } from '../model/policy.js';
import type { ResolvedModel } from '../resolve/model.js';
import { resolve, resolveChangedUsers } from '../resolve/resolve.js';
import { IncrementalValidator, type FileChange } from '../validate/incremental.js';

/**
 * The policy project as watch mode keeps it: every file's parsed documents stay in memory and
 * only files that are new or changed (size or mtime, or named by the watcher) are read again;
 * deleted and renamed files drop out. A changed file whose edit lies within some items of a
 * section (one user of a users file) has only those items parsed again (load/reparse-items.ts),
 * else it is parsed whole. Validation then works from what changed (validate/incremental.ts):
 * when only users changed, only they are merged and checked again, and only they are resolved
 * again (resolve.ts, resolveChangedUsers); anything else validates or resolves the whole set.
 * Either way the answer is exactly what `warden validate` would say (the differential test
 * checks it). Bad input of any kind becomes diagnostics; an update never throws.
 */

interface FileEntry {
  documents: LoadedDocument[];
  diagnostics: Diagnostic[];
  text: string | undefined;
  stamp: string;
}

export interface UpdateWork {
  /** Files of which only some items were parsed again. */
  itemFiles: number;
  /** Whether validation worked from the changed users only. */
  usersValidated: boolean;
  /** Users resolved again; null when the whole set was (or nothing was resolved). */
  usersResolved: number | null;
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
  /** What the update did incrementally (absent in states made by hand). */
  work?: UpdateWork;
  /**
   * The logins whose definitions may differ between `model` (one of the last few models this
   * project resolved) and this state's model, when nothing but users changed in between; null
   * when anything else may have changed or the model is not known. Lets the access diff look at
   * those users only.
   */
  usersChangedSince?: (model: ResolvedModel) => ReadonlySet<string> | null;
}

export interface IncrementalOptions {
  /** The moment expiry checks are made against; called on every update. */
  now?: () => Date;
}

/** Models kept to answer usersChangedSince (watch diffs against the last valid one, rarely older than a few updates). */
const RECENT_MODELS = 8;

export class IncrementalProject {
  private readonly files = new Map<string, FileEntry>();
  private readonly validator = new IncrementalValidator();
  /** The last model resolved, and the users changed since (or 'all': resolve the whole set next). */
  private lastModel: ResolvedModel | null = null;
  private unresolved: Set<string> | 'all' = 'all';
  /** The last few models resolved, each with its place in the log of what each resolution changed (for the access diff). */
  private readonly recent: Array<{ model: ResolvedModel; from: number }> = [];
  private changeLog: Array<ReadonlySet<string> | 'all'> = [];

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
    const presentSet = new Set(present);
    const removed = [...this.files.keys()].filter((file) => !presentSet.has(file));
    const changes: FileChange[] = [];
    for (const file of removed) {
      this.files.delete(file);
      changes.push({ file, kind: 'whole' });
    }
    const reparsed: string[] = [];
    const work: UpdateWork = { itemFiles: 0, usersValidated: false, usersResolved: null };
    for (const file of present) {
      const stamp = fileStamp(this.root, file);
      const known = this.files.get(file);
      if (known && known.stamp === stamp && !hinted.has(file)) continue;
      const diagnostics: Diagnostic[] = [];
      const text = readPolicyText(this.root, file, diagnostics);
      if (known && text !== null && known.text === text && known.diagnostics.length === 0) {
        known.stamp = stamp; // saved again unchanged: nothing to parse or check
        continue;
      }
      reparsed.push(file);
      if (known && text !== null && known.text !== undefined && known.diagnostics.length === 0 && known.documents.length === 1) {
        let items: ReturnType<typeof reparseItems> = null;
        try {
          items = reparseItems(known.text, text, known.documents[0]);
        } catch {
          // A bug in the shortcut must not stop watch: the whole parse below gives the answer.
        }
        if (items !== null) {
          this.files.set(file, { documents: [items.document], diagnostics: [], text, stamp });
          changes.push({ file, kind: 'items', edit: items.edit });
          work.itemFiles++;
          continue;
        }
      }
      const result: LoadResult = { documents: [], diagnostics, sources: new Map() };
      if (text !== null) loadText(file, text, result);
      this.files.set(file, { documents: result.documents, diagnostics: result.diagnostics, text: text ?? undefined, stamp });
      changes.push({ file, kind: 'whole' });
    }
    this.validator.note(changes);
    const load = this.assemble(present, discovery);
    const loadMs = performance.now() - started;
    const state: ProjectState = {
      model: null,
      policy: null,
      diagnostics: [],
      sources: load.sources,
      reparsed,
      removed,
      timings: { loadMs, validateMs: 0, resolveMs: 0 },
      work,
      usersChangedSince: (model) => this.usersChangedSince(model),
    };
    if (hasErrors(load.diagnostics)) {
      state.diagnostics = sortDiagnostics(load.diagnostics);
      return state;
    }
    try {
      const validateStart = performance.now();
      const validated = this.validator.validate(load);
      state.timings.validateMs = performance.now() - validateStart;
      work.usersValidated = validated.incremental;
      const changed = validated.changedUsers;
      if (changed === 'all') this.unresolved = 'all';
      else if (changed !== null && this.unresolved !== 'all') for (const login of changed) this.unresolved.add(login);
      const diagnostics = [...load.diagnostics, ...validated.diagnostics];
      if (validated.policy === null || hasErrors(diagnostics)) {
        state.diagnostics = sortDiagnostics(diagnostics);
        return state;
      }
      const resolveStart = performance.now();
      const now = this.options.now?.();
      let model: ResolvedModel;
      const resolvedAgain = this.lastModel !== null ? this.unresolved : 'all';
      if (this.lastModel !== null && this.unresolved !== 'all') {
        work.usersResolved = this.unresolved.size;
        model = resolveChangedUsers(this.lastModel, validated.policy, this.unresolved, { now });
      } else model = resolve(validated.policy, { now });
      this.remember(model, resolvedAgain);
      this.lastModel = model;
      this.unresolved = new Set();
      state.timings.resolveMs = performance.now() - resolveStart;
      diagnostics.push(...model.diagnostics);
      state.diagnostics = sortDiagnostics(diagnostics);
      if (!hasErrors(diagnostics)) {
        state.model = model;
        state.policy = validated.policy;
      }
    } catch (caught) {
      // Watch mode must survive anything: report, keep the last valid state, keep watching.
      this.validator.reset();
      this.recent.length = 0;
      this.changeLog = [];
      this.lastModel = null;
      this.unresolved = 'all';
      state.diagnostics = sortDiagnostics(
        caught instanceof DiagnosticsError
          ? caught.diagnostics
          : [error('E-INTERNAL', `checking the policies failed: ${caught instanceof Error ? caught.message : String(caught)}`, { file: present[0] ?? '.', line: 1, column: 1 }, { hint: 'this is a bug in warden; please report it' })],
      );
    }
    return state;
  }

  private remember(model: ResolvedModel, changed: ReadonlySet<string> | 'all'): void {
    this.changeLog.push(changed);
    this.recent.push({ model, from: this.changeLog.length });
    if (this.recent.length > RECENT_MODELS) this.recent.shift();
    // Keep the log from the oldest model remembered on.
    const drop = this.recent[0].from;
    if (drop > RECENT_MODELS) {
      this.changeLog = this.changeLog.slice(drop);
      for (const entry of this.recent) entry.from -= drop;
    }
  }

  private usersChangedSince(model: ResolvedModel): ReadonlySet<string> | null {
    const entry = this.recent.find((e) => e.model === model);
    if (entry === undefined) return null;
    const since = this.changeLog.slice(entry.from);
    if (since.length === 1) return since[0] === 'all' ? null : since[0];
    const union = new Set<string>();
    for (const changed of since) {
      if (changed === 'all') return null;
      for (const login of changed) union.add(login);
    }
    return union;
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
