import { DiagnosticsError, error, type Loc } from '../diagnostics/diagnostic.js';
import type { GroupDef, PolicySet } from '../model/policy.js';
import type { Provenance } from './model.js';

/**
 * The group inheritance graph, walked once per group and memoized: 100,000 users share a few
 * thousand groups, so everything that depends only on a group is computed here, never per user.
 */

/** A group reached from another along `inherits`. */
export interface Ancestor {
  /** From the starting group to this one (both included). */
  path: string[];
  /** Why membership of the starting group makes the user a member of this one. Shared, immutable. */
  because: Provenance;
}

export class GroupGraph {
  private readonly ancestorMemo = new Map<string, Map<string, Ancestor>>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly policy: PolicySet) {}

  group(name: string): GroupDef | undefined {
    return this.policy.groups.get(name);
  }

  /**
   * Every group `name` inherits from, transitively, with the first path found in `inherits`
   * order (depth first), excluding `name` itself. An inheritance cycle is refused (validation
   * reports it with both ends; this guard keeps the resolver from looping if called anyway).
   */
  ancestors(name: string): Map<string, Ancestor> {
    const known = this.ancestorMemo.get(name);
    if (known) return known;
    if (this.inProgress.has(name)) {
      const def = this.group(name);
      throw new DiagnosticsError([
        error('E-INHERITANCE-CYCLE', `group inheritance cycle through ${name}`, def?.loc ?? UNKNOWN_LOC),
      ]);
    }
    this.inProgress.add(name);
    const result = new Map<string, Ancestor>();
    for (const parent of this.group(name)?.inherits ?? []) {
      if (parent.value === name) continue;
      if (!result.has(parent.value)) {
        result.set(parent.value, {
          path: [name, parent.value],
          because: Object.freeze({ source: 'group', group: parent.value, path: [name, parent.value], loc: parent.loc }),
        });
      }
      for (const [ancestor, via] of this.ancestors(parent.value)) {
        if (ancestor === name || result.has(ancestor)) continue;
        const path = [name, ...via.path];
        const hop = via.because as Extract<Provenance, { source: 'group' }>;
        result.set(ancestor, { path, because: Object.freeze({ source: 'group', group: ancestor, path, loc: hop.loc }) });
      }
    }
    this.inProgress.delete(name);
    this.ancestorMemo.set(name, result);
    return result;
  }
}

const UNKNOWN_LOC: Loc = { file: '', line: 0, column: 0 };
