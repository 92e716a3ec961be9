import { error } from '../../diagnostics/diagnostic.js';
import type { Ref } from '../../model/policy.js';
import type { ValidationRule } from '../rule.js';
import { describeCycle, findCycles } from './find-cycles.js';

/**
 * Group inheritance must be acyclic (spec section 4): membership and attribute values are
 * computed along `inherits`, and a cycle has no nearest definition. E-CYCLE names the cycle and
 * points at every `inherits` entry that forms it.
 */
export const groupCycles: ValidationRule = {
  name: 'group-cycles',
  check(context) {
    const graph = new Map<string, Ref[]>();
    for (const group of context.policy.groups.values()) graph.set(group.name, group.inherits);
    for (const cycle of findCycles(graph)) {
      context.report(
        error('E-CYCLE', `group inheritance cycle: ${describeCycle(cycle)}`, cycle.edges[0]!.loc, {
          hint: 'remove one of these inherits entries',
          related: cycle.edges.map((edge, i) => ({ message: `group "${cycle.nodes[i]}" inherits "${edge.value}"`, loc: edge.loc })),
        }),
      );
    }
  },
};
