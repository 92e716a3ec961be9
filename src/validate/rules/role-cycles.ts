import { error } from '../../diagnostics/diagnostic.js';
import type { Ref } from '../../model/policy.js';
import type { ValidationRule } from '../rule.js';
import { describeCycle, findCycles } from './find-cycles.js';

/**
 * Role `extends` must be acyclic (spec section 4): roles are closed under `extends`, and a cycle
 * is an error naming it, with every `extends` entry that forms it as a related location.
 */
export const roleCycles: ValidationRule = {
  name: 'role-cycles',
  check(context) {
    const graph = new Map<string, Ref[]>();
    for (const role of context.policy.roles.values()) graph.set(role.name, role.extends);
    for (const cycle of findCycles(graph)) {
      context.report(
        error('E-CYCLE', `role extends cycle: ${describeCycle(cycle)}`, cycle.edges[0]!.loc, {
          hint: 'remove one of these extends entries',
          related: cycle.edges.map((edge, i) => ({ message: `role "${cycle.nodes[i]}" extends "${edge.value}"`, loc: edge.loc })),
        }),
      );
    }
  },
};
