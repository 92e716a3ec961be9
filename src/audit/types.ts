import type { Loc } from '../diagnostics/diagnostic.js';
import type { PolicySet } from '../model/policy.js';
import type { FilterSnapshot } from '../plan/access-diff-types.js';
import type { ResolvedModel } from '../resolve/model.js';
import type { AccessProfile } from './access-profile.js';

/**
 * The audit of a policy set (SPEC section 10). Built once by `buildAudit`; every renderer
 * (html, markdown, csv, json) reads the same report, so the formats carry the same facts.
 *
 * Per-user facts (groups, roles, provenance) are read from the resolved model when rendered
 * rather than copied here: a 100,000-user report must not hold every fact twice. What has to be
 * computed is kept: the access profile (what every cell depends on, access-profile.ts), the
 * counts per subject and user, and the findings. The access matrix with its filter sets is
 * built on first read, only by the renderers that print every cell.
 */

/** How a user sees a subject, the colours of the access matrix. */
export type CellKind = 'full' | 'filtered' | 'denied' | 'none';

/**
 * One distinct filter set (the complete filters of some user on some subject). Users with the
 * same filters share one entry. Id 0 is the empty set: access without row filters.
 */
export interface FilterSet {
  id: number;
  /** Empty for id 0 (shared by every subject). */
  subject: string;
  filters: FilterSnapshot[];
  /** `filtered` when some rows are hidden, `denied` when a filter admits no row, `full` when every filter admits every row. */
  kind: Exclude<CellKind, 'none'>;
  /** Human wording, e.g. `country {Vietnam}; store_id not_in {0, 999}`. */
  text: string;
}

export interface AuditSubject {
  name: string;
  loc: Loc;
  description?: string;
  restricted: boolean;
  /** Accessible to every enabled user (not restricted, subject access not enforced). */
  openToEveryone: boolean;
  table?: string;
  /** Groups granted the subject, sorted, with where the grant is written. */
  grantedTo: { group: string; loc: Loc }[];
  /** Rules on the subject, sorted by name. */
  rules: { name: string; loc: Loc; text: string }[];
  /** Users per matrix colour. */
  counts: Record<CellKind, number>;
}

export type FindingKind =
  | 'all-values'
  | 'unused-group'
  | 'unused-attribute'
  | 'unused-role'
  | 'rule-denies-everyone'
  | 'rule-applies-to-nobody'
  | 'subject-open-to-everyone'
  | 'api-key-expiring'
  | 'api-key-invalid'
  | 'admin'
  | 'bypass';

export interface Finding {
  kind: FindingKind;
  severity: 'warning' | 'info';
  /** The thing the finding is about, e.g. `group apac`, `user ceo@acme.com`. */
  target: string;
  message: string;
  loc?: Loc;
}

export interface AuditApiKey {
  name: string;
  user: string;
  loc: Loc;
  description?: string;
  expires?: string;
  valid: boolean;
  problems: string[];
}

export interface AuditCounts {
  users: number;
  enabledUsers: number;
  disabledUsers: number;
  admins: number;
  bypassUsers: number;
  groups: number;
  roles: number;
  customRoles: number;
  subjects: number;
  rules: number;
  attributes: number;
  apiKeys: number;
  findings: number;
  warnings: number;
}

export interface AuditReport {
  /** The day the audit is for (expiry checks), `YYYY-MM-DD`. */
  date: string;
  model: ResolvedModel;
  policy: PolicySet;
  counts: AuditCounts;
  /** Logins in model order (sorted): row i of the matrix is logins[i]. */
  logins: string[];
  /** Sorted by name: column j of the matrix is subjects[j]. */
  subjects: AuditSubject[];
  /** What every user's access depends on, factored (the HTML report embeds it, not the cells). */
  profile: AccessProfile;
  /** Per user (row): full, filtered, denied, none counts over the subjects, 4 integers per user. */
  userCounts: Int32Array;
  /** The distinct filter sets of the matrix (built with it, on first read). */
  readonly filterSets: FilterSet[];
  /**
   * Row-major users x subjects: the filter-set id of each user on each subject, -1 without access.
   * Typed so that 100,000 x 300 cells stay one compact buffer. Built on first read.
   */
  readonly matrix: Int32Array;
  findings: Finding[];
  apiKeys: AuditApiKey[];
  /** Sorted logins. */
  admins: string[];
  bypass: string[];
}
