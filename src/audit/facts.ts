import type { Home, Scalar } from '../model/policy.js';
import type { ResolvedUser } from '../resolve/model.js';
import { describeProvenance, describeReasons } from './provenance-text.js';
import type { AuditReport, CellKind } from './types.js';

/**
 * One user's facts as every renderer prints them, read from the resolved model on demand (one
 * user at a time, so a 100,000-user report never holds them all).
 */
export interface UserFacts {
  login: string;
  name?: string;
  email?: string;
  enabled: boolean;
  admin: boolean;
  bypassRowRules: boolean;
  /** Why the user bypasses (or why disabled); empty otherwise. */
  bypassBecause: string;
  groups: { name: string; because: string[] }[];
  roles: { name: string; because: string[] }[];
  permissions: string[];
  /** Defined attributes (system attributes left out: they are the login, e-mail and name). */
  attributes: { name: string; values: 'all' | Scalar[]; because: string[] }[];
  apiKeysEnabled: boolean;
  home: string | null;
  /** Per subject of `report.subjects`, in order: the filter-set id, or null without access. */
  access: (number | null)[];
}

export function userFacts(report: AuditReport, row: number): UserFacts {
  const user = report.model.users.get(report.logins[row])!;
  const facts: UserFacts = {
    login: user.login,
    enabled: user.enabled,
    admin: user.admin,
    bypassRowRules: user.bypassRowRules.value,
    bypassBecause: user.bypassRowRules.value ? describeReasons(user.bypassRowRules.because) : '',
    groups: [...user.groups].map(([name, because]) => ({ name, because: because.map(describeProvenance) })),
    roles: [...user.roles].map(([name, because]) => ({ name, because: because.map(describeProvenance) })),
    permissions: [...user.permissions],
    attributes: attributesOf(user),
    apiKeysEnabled: user.apiKeysEnabled.value,
    home: user.home ? formatHome(user.home.value) : null,
    access: accessRow(report, row),
  };
  if (user.name !== undefined) facts.name = user.name;
  if (user.email !== undefined) facts.email = user.email;
  return facts;
}

export function accessRow(report: AuditReport, row: number): (number | null)[] {
  const width = report.subjects.length;
  const out: (number | null)[] = new Array(width);
  const matrix = report.matrix; // built on first read
  for (let col = 0; col < width; col++) {
    const id = matrix[row * width + col];
    out[col] = id < 0 ? null : id;
  }
  return out;
}

export function cellKind(report: AuditReport, id: number | null): CellKind {
  return id === null ? 'none' : report.filterSets[id].kind;
}

function attributesOf(user: ResolvedUser): UserFacts['attributes'] {
  const out: UserFacts['attributes'] = [];
  for (const [name, value] of user.attributes) {
    if (name.startsWith('user.')) continue;
    out.push({ name, values: value.value.kind === 'all' ? 'all' : [...value.value.values], because: value.because.map(describeProvenance) });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function formatHome(home: Home): string {
  return 'dashboard' in home ? `dashboard ${home.dashboard}` : `category ${home.category}`;
}
