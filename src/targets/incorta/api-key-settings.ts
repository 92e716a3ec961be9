import type { ResolvedModel, ResolvedUser } from '../../resolve/model.js';

/**
 * Incorta's API-key generation switch exists per group and per user (seed 004), and the seed
 * warns against managing it by group. warden resolves one effective value per user; to make
 * Incorta's result equal it whatever way Incorta combines the two switches, every synced user
 * gets their effective value explicitly, and a group is switched on only when the policy enables
 * it AND every one of its members is enabled in warden (so a group switch can never give a key
 * to a user whose own `api_keys: disabled` overrides it).
 */
export interface ApiKeySettings {
  groups: { group: string; enable: boolean; why: string }[];
  users: { login: string; enable: boolean }[];
}

export function apiKeySettings(model: ResolvedModel, synced: readonly ResolvedUser[]): ApiKeySettings {
  const effective = new Map(synced.map((user) => [user.login, user.apiKeysEnabled.value]));
  const groups = [...model.policy.groups.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((group) => {
      if (group.apiKeys?.value !== 'enabled') {
        return { group: group.name, enable: false, why: group.apiKeys === undefined ? 'not enabled in the policy' : 'disabled in the policy' };
      }
      const optedOut = (model.groupMembers.get(group.name) ?? []).filter((login) => effective.get(login) === false);
      if (optedOut.length > 0) {
        return { group: group.name, enable: false, why: `enabled in the policy, but members have it disabled (${optedOut.join(', ')}); enabled per user instead` };
      }
      return { group: group.name, enable: true, why: 'enabled in the policy' };
    });
  const users = synced.map((user) => ({ login: user.login, enable: user.apiKeysEnabled.value }));
  return { groups, users };
}
