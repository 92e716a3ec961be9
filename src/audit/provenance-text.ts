import type { Loc } from '../diagnostics/diagnostic.js';
import type { Provenance } from '../resolve/model.js';

/** `policies/people/users.yaml:12`, or nothing for built-in facts. */
export function formatLoc(loc: Loc | undefined): string {
  if (!loc || loc.file === '<builtin>' || loc.line <= 0) return '';
  return `${loc.file}:${loc.line}`;
}

/** One reason in words, with where it is written: `via vietnam → apac (policies/groups.yaml:20)`. */
export function describeProvenance(p: Provenance): string {
  switch (p.source) {
    case 'user':
      return `set on the user${at(p.loc)}`;
    case 'group':
      return p.path.length > 1 ? `via ${p.path.join(' → ')}${at(p.loc)}` : `group ${p.group}${at(p.loc)}`;
    case 'members':
      return `listed in members of ${p.group}${at(p.loc)}`;
    case 'default-group':
      return `default group ${p.group}${at(p.loc)}`;
    case 'base-role':
      return `base role ${p.role}${at(p.loc)}`;
    case 'admin':
      return `admin: true${at(p.loc)}`;
    case 'role':
      return p.path.length > 1 ? `role ${p.path.join(' → ')}${at(p.loc)}` : `role ${p.role}${at(p.loc)}`;
    case 'attribute-default':
      return `default of ${p.attribute}${at(p.loc)}`;
    case 'system':
      return `system attribute ${p.attribute}`;
    case 'setting':
      return `setting ${p.setting}${at(p.loc)}`;
    case 'rule':
      return `rule ${p.rule}${at(p.loc)}`;
    case 'disabled':
      return `user disabled${at(p.loc)}`;
  }
}

/** ` (file:line)`, or nothing for built-in facts. */
function at(loc: Loc | undefined): string {
  const where = formatLoc(loc);
  return where ? ` (${where})` : '';
}

export function describeReasons(reasons: readonly Provenance[]): string {
  return reasons.map(describeProvenance).join('; ');
}
