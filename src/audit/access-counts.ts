import { ruleApplies, type AccessProfile, type ProfileCondition } from './access-profile.js';
import type { CellKind } from './types.js';

/**
 * How many users see each subject fully, filtered, with filters that admit no row, or not at
 * all; the same per user; and per rule how many users it filters and denies. Counted over
 * every user x subject cell WITHOUT building any cell's filters: a cell's colour follows from
 * each applicable rule's effect (filter-kind.ts), and a condition's effect from its operator
 * and whether the compared set is none, some values or `all`, a table look-up per condition.
 * One pass over typed arrays per subject, no allocation per cell.
 */

/** Effects: 0 every row, 1 some rows, 2 no row (filter-kind.ts `Effect`). */
const EVERYTHING = 0;
const SOME = 1;
const NOTHING = 2;

/** [effectClass][state of the compared set: 0 none, 1 some, 2 all] -> effect. */
const EFFECT = [
  [NOTHING, SOME, EVERYTHING], // in / eq / comparisons
  [EVERYTHING, SOME, NOTHING], // not_in / ne
  [SOME, SOME, SOME], // last / next
];

export interface AccessCounts {
  /** Per subject (profile order): users per colour. */
  subjects: Record<CellKind, number>[];
  /** Per user: full, filtered, denied, none (4 integers per user). */
  users: Int32Array;
  /** rule -> users it filters (with access, not bypassing) and how many of them it admits no row. */
  ruleUse: Map<string, { applied: number; denied: number }>;
}

export function countAccess(profile: AccessProfile): AccessCounts {
  const { n, enabled, admin, bypass, userStart, userGroups } = profile;
  const state = Uint8Array.from(profile.values.state);
  const perUser = new Int32Array(n * 4);
  const subjects: Record<CellKind, number>[] = [];
  const ruleUse = new Map<string, { applied: number; denied: number }>();
  for (const name of [...profile.policy.rules.keys()].sort()) ruleUse.set(name, { applied: 0, denied: 0 });
  const use = (rule: string, applied: number, denied: number) => {
    const entry = ruleUse.get(rule);
    if (entry) {
      entry.applied += applied;
      entry.denied += denied;
    }
  };

  // Per user, what a subject open to everyone means: 0 no access, 1 access without filters, 2 filtered by rules.
  const openAccess = new Uint8Array(n);
  for (let u = 0; u < n; u++) openAccess[u] = enabled[u] ? (bypass[u] ? 1 : 2) : 0;
  // Per column, the state of each user's value set (0 none, 1 some, 2 all).
  const columnState = profile.columns.map((column) => {
    const out = new Uint8Array(n);
    const ids = column.ids;
    for (let u = 0; u < n; u++) out[u] = state[ids[u]];
    return out;
  });
  const access = new Uint8Array(n);
  const effects = new Uint8Array(n);

  // Rules beyond the fourth of the common shape, and the padding below the fourth: a rule
  // that always admits every row, on a column of zeros.
  const ZEROS = new Uint8Array(n);
  const PASS = new Uint8Array(3);

  for (const subject of profile.subjects) {
    // One pass over the users for up to four rules of the common shape (one condition on a
    // column, applying to everyone): a table look-up each, in local variables so the loop stays
    // tight. Other rules (any, applies_to, static values, last/next, more than four) are
    // evaluated per user afterwards, only where they matter.
    const fast = subject.rules.filter((r) => !r.appliesGroups && !r.def.isAny && r.conditions[0].column >= 0).slice(0, 4);
    const slow = subject.rules.filter((r) => !fast.includes(r));
    const states = [0, 1, 2, 3].map((r) => (r < fast.length ? columnState[fast[r].conditions[0].column] : ZEROS));
    const tables = [0, 1, 2, 3].map((r) => (r < fast.length ? EFFECT_BITS[fast[r].conditions[0].effectClass] : PASS));
    const [s0, s1, s2, s3] = states;
    const [t0, t1, t2, t3] = tables;
    const later = slow.length > 0;
    const out = new Int32Array(9);
    passOverUsers({ n, openAccess, admin, userStart, userGroups, open: subject.open, mask: subject.grantMask, s0, s1, s2, s3, t0, t1, t2, t3, perUser, access, effects, later }, out);
    const [filteredUsers, d0, d1, d2, d3] = out;
    let [full, filtered, noRows, none] = out.subarray(5);
    const denied = [d0, d1, d2, d3];
    fast.forEach((rule, r) => use(rule.def.name, filteredUsers, denied[r]));
    if (later) {
      for (const rule of slow) {
        let applied = 0;
        let deniedBy = 0;
        for (let u = 0; u < n; u++) {
          if (access[u] !== 2 || !ruleApplies(profile, rule, u)) continue;
          const effect = ruleEffect(profile, rule.conditions, rule.def.isAny, u, state);
          effects[u] |= effect === NOTHING ? 2 : effect === SOME ? 1 : 0;
          applied++;
          if (effect === NOTHING) deniedBy++;
        }
        use(rule.def.name, applied, deniedBy);
      }
      for (let u = 0; u < n; u++) {
        const a = access[u];
        const kind = a === 0 ? 3 : a === 1 ? 0 : effects[u] & 2 ? 2 : effects[u] & 1 ? 1 : 0;
        perUser[u * 4 + kind]++;
        if (kind === 0) full++;
        else if (kind === 1) filtered++;
        else if (kind === 2) noRows++;
        else none++;
      }
    }
    subjects.push({ full, filtered, denied: noRows, none });
  }
  return { subjects, users: perUser, ruleUse };
}

interface Pass {
  n: number;
  openAccess: Uint8Array;
  admin: Uint8Array;
  userStart: Int32Array;
  userGroups: Int32Array;
  open: boolean;
  mask: Uint8Array;
  s0: Uint8Array;
  s1: Uint8Array;
  s2: Uint8Array;
  s3: Uint8Array;
  t0: Uint8Array;
  t1: Uint8Array;
  t2: Uint8Array;
  t3: Uint8Array;
  perUser: Int32Array;
  /** Written only when rules are left for later (`later`). */
  access: Uint8Array;
  effects: Uint8Array;
  later: boolean;
}

/**
 * One subject's pass over every user. A function of its own, called once per subject, so the
 * engine optimises it after the first few subjects (a loop inside one long function waits for
 * on-stack replacement, which at 10,000 users cost more than the loop). Writes to `out`:
 * users filtered by rules, denials of rules 0-3, then full, filtered, denied, none (unless
 * rules are left for later: then the colours are counted by the caller).
 */
function passOverUsers(p: Pass, out: Int32Array): void {
  const { n, openAccess, admin, userStart, userGroups, open, mask, s0, s1, s2, s3, t0, t1, t2, t3, perUser, access, effects, later } = p;
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  let filteredUsers = 0;
  let full = 0;
  let filtered = 0;
  let noRows = 0;
  let none = 0;
  for (let u = 0; u < n; u++) {
    let a = openAccess[u];
    if (a !== 0 && !open && admin[u] === 0) {
      let granted = 0;
      for (let g = userStart[u]; granted === 0 && g < userStart[u + 1]; g++) granted = mask[userGroups[g]];
      if (granted === 0) a = 0;
    }
    if (later) access[u] = a;
    let kind = 3;
    if (a === 1) kind = 0;
    else if (a === 2) {
      filteredUsers++;
      const b0 = t0[s0[u]];
      const b1 = t1[s1[u]];
      const b2 = t2[s2[u]];
      const b3 = t3[s3[u]];
      d0 += b0 >> 1;
      d1 += b1 >> 1;
      d2 += b2 >> 1;
      d3 += b3 >> 1;
      const bits = b0 | b1 | b2 | b3;
      if (later) effects[u] = bits;
      kind = bits & 2 ? 2 : bits & 1 ? 1 : 0;
    }
    if (!later) {
      perUser[u * 4 + kind]++;
      if (kind === 0) full++;
      else if (kind === 1) filtered++;
      else if (kind === 2) noRows++;
      else none++;
    }
  }
  out[0] = filteredUsers;
  out[1] = d0;
  out[2] = d1;
  out[3] = d2;
  out[4] = d3;
  out[5] = full;
  out[6] = filtered;
  out[7] = noRows;
  out[8] = none;
}

/** [effectClass][state] -> effect bit: 0 every row, 1 some rows, 2 no row. */
const EFFECT_BITS = EFFECT.map((row) => Uint8Array.from(row.map((e) => (e === NOTHING ? 2 : e === SOME ? 1 : 0))));

/** A rule's effect for a user: one condition, or an `any` (every row if one admits every row, none if all admit none). */
function ruleEffect(profile: AccessProfile, conditions: ProfileCondition[], isAny: boolean, u: number, state: Uint8Array): number {
  const effectOf = (c: ProfileCondition) => {
    const id = c.column >= 0 ? profile.columns[c.column].ids[u] : c.staticId;
    return id < 0 ? SOME : EFFECT[c.effectClass][state[id]];
  };
  if (!isAny) return effectOf(conditions[0]);
  let all = true;
  for (const c of conditions) {
    const effect = effectOf(c);
    if (effect === EVERYTHING) return EVERYTHING;
    if (effect !== NOTHING) all = false;
  }
  return all ? NOTHING : SOME;
}
