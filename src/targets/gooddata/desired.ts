import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, warning } from '../../diagnostics/diagnostic.js';
import type { ResolvedModel } from '../../resolve/model.js';
import { allGroupNames, directGroupNames, parentsFirst, usersByLogin } from '../http/direct-groups.js';
import type { GooddataOptions } from './config.js';
import { isCloudId } from './maql.js';
import { gooddataSubjects } from './subject-mapping.js';
import { cloudUserId } from './user-ids.js';
import { DiagnosticSink, userFilter, type AccessOf, type UserFilter } from './user-filter.js';

/**
 * What GoodData should hold for a project: user groups (with their parents), users (with their
 * direct groups) and one data-permission filter per restricted user. Unrestricted users (every
 * condition `all`, or bypassing row rules) get no filter; that is what "unrestricted" means in
 * GoodData.
 */
export interface DesiredGroup {
  id: string;
  name: string;
  parents: string[];
}

export interface DesiredUser {
  id: string;
  login: string;
  email?: string;
  enabled: boolean;
  groups: string[];
}

export interface DesiredFilter {
  /** `warden-<user id>`: warden's own filters are recognisable on the platform. */
  id: string;
  title: string;
  login: string;
  userId: string;
  maql: string;
}

export interface GooddataDesired {
  options: GooddataOptions;
  /** Parents before children. */
  groups: DesiredGroup[];
  /** Sorted by login. */
  users: DesiredUser[];
  /** Sorted by id. */
  filters: DesiredFilter[];
  /** Every user's filter with its parts, for the human-readable artifact. */
  userFilters: UserFilter[];
}

export const FILTER_ID_PREFIX = 'warden-';

export function desiredGooddata(model: ResolvedModel, options: GooddataOptions, accessOf: AccessOf): { desired: GooddataDesired | null; diagnostics: Diagnostic[] } {
  const { subjects, diagnostics } = gooddataSubjects(model.policy, options.api);
  if (subjects.length === 0) {
    diagnostics.push(warning('W-GOODDATA-NO-SUBJECTS', 'no subject has `platforms.gooddata`: the data permissions restrict nothing, so enabled users see every row of the workspace', options.loc, {
      hint: 'map the fields of the subjects GoodData holds under `subjects.<name>.platforms.gooddata`',
    }));
  }
  const sink = new DiagnosticSink();
  const userFilters: UserFilter[] = [];
  const users: DesiredUser[] = [];
  const filters: DesiredFilter[] = [];
  const seenIds = new Map<string, string>();
  for (const user of usersByLogin(model)) {
    const id = cloudUserId(user.login, options.userIds);
    if (options.api === 'cloud') {
      if (!isCloudId(id) || id.length > 255 - FILTER_ID_PREFIX.length) {
        diagnostics.push(error('E-GOODDATA-USER-ID', `user "${user.login}" has no valid GoodData user id ("${id}")`, user.loc, { hint: 'give one under `user_ids` in the target config' }));
        continue;
      }
      const clash = seenIds.get(id);
      if (clash !== undefined) {
        diagnostics.push(error('E-GOODDATA-USER-ID', `users "${clash}" and "${user.login}" map to the same GoodData user id "${id}"`, user.loc));
        continue;
      }
      seenIds.set(id, user.login);
    }
    const filter = userFilter(user, { model, accessOf, options, subjects, report: sink });
    userFilters.push(filter);
    users.push({ id, login: user.login, ...(user.email ? { email: user.email } : {}), enabled: user.enabled, groups: user.enabled ? directGroupNames(user) : [] });
    if (filter.maql !== null) {
      filters.push({ id: `${FILTER_ID_PREFIX}${id}`, title: `warden: ${user.login}`, login: user.login, userId: id, maql: filter.maql });
    }
  }
  diagnostics.push(...sink.list());
  if (diagnostics.some((d) => d.severity === 'error')) return { desired: null, diagnostics };
  const known = new Set(allGroupNames(model.policy));
  const groups = parentsFirst(model.policy).map((name) => {
    const def = model.policy.groups.get(name);
    return { id: name, name, parents: (def?.inherits ?? []).map((r) => r.value).filter((p) => known.has(p)).sort() };
  });
  filters.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { desired: { options, groups, users, filters, userFilters }, diagnostics };
}
