import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ResolvedModel } from '../../resolve/model.js';
import { didYouMean } from '../../util/did-you-mean.js';
import type { TargetConfig } from '../target.js';

/**
 * The `subjects` option of an inmydata target: which of the policy's subjects are published on
 * inmydata (default: all). A subject left out is not on the platform at all, so nobody sees it
 * there: its grants, filters and rules are simply not emitted. This is how a project keeps a
 * subject whose rule inmydata cannot express (an `any`, i.e. an OR) on the targets that can,
 * instead of emitting a broader filter.
 */
export function publishedSubjects(model: ResolvedModel, target: TargetConfig, diagnostics: Diagnostic[]): Set<string> | null {
  if (!('subjects' in target.options)) return null;
  const raw = target.options.subjects;
  const loc = target.optionLocs.subjects ?? target.loc;
  if (!Array.isArray(raw) || raw.some((s) => typeof s !== 'string')) {
    diagnostics.push(error('E-CONFIG', `target "${target.name}": \`subjects\` must be a list of subject names`, loc));
    return null;
  }
  const known = [...model.policy.subjects.keys()];
  for (const name of raw as string[]) {
    if (!model.policy.subjects.has(name)) {
      const guess = didYouMean(name, known);
      diagnostics.push(error('E-CONFIG', `target "${target.name}": \`subjects\` names "${name}", which is not a subject`, loc, { hint: guess ? `did you mean "${guess}"?` : `subjects: ${known.sort().join(', ')}` }));
    }
  }
  return new Set(raw as string[]);
}

/** The model as inmydata sees it: only the published subjects, their rules and the grants to them. */
export function scopeModel(model: ResolvedModel, published: ReadonlySet<string>): ResolvedModel {
  const policy = model.policy;
  const keep = <T>(map: Map<string, T>, ok: (value: T, key: string) => boolean) => new Map([...map].filter(([key, value]) => ok(value, key)));
  return {
    ...model,
    policy: {
      ...policy,
      subjects: keep(policy.subjects, (_, name) => published.has(name)),
      rules: keep(policy.rules, (rule) => published.has(rule.subject.value)),
      groups: new Map([...policy.groups].map(([name, group]) => [name, { ...group, subjects: group.subjects.filter((ref) => published.has(ref.value)) }])),
    },
  };
}
