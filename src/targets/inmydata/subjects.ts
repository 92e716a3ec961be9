import type { PolicySet, SubjectDef } from '../../model/policy.js';

/** The subject's name on inmydata: `platforms.inmydata.subject`, else warden's name. */
export function inmydataSubjectName(subject: SubjectDef): string {
  const configured = subject.platforms.inmydata?.value.subject;
  return typeof configured === 'string' && configured !== '' ? configured : subject.name;
}

/**
 * Permitted subjects per group (seed 000, "Set permitted subjects for this group"), with
 * "Enforce Group access to Subjects" always on: it is the only way to keep the user-data
 * subject (every user's filter values) away from ordinary users. So that subjects the policy
 * leaves open stay open, they are permitted to the default group, which every user is in.
 * A group's inherited grants need no repeating: users are assigned to every group they are in.
 */
export function permittedSubjects(policy: PolicySet): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const group of policy.groups.values()) {
    const names = new Set<string>();
    for (const ref of group.subjects) {
      const subject = policy.subjects.get(ref.value);
      if (subject !== undefined) names.add(inmydataSubjectName(subject));
    }
    out.set(group.name, names);
  }
  if (!policy.settings.enforceSubjectAccess) {
    const everyone = out.get(policy.settings.defaultGroup) ?? new Set<string>();
    for (const subject of policy.subjects.values()) if (!subject.restricted) everyone.add(inmydataSubjectName(subject));
    out.set(policy.settings.defaultGroup, everyone);
  }
  return new Map([...out.keys()].sort().map((group) => [group, [...out.get(group)!].sort()]));
}
