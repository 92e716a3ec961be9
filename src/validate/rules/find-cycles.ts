import type { Ref } from '../../model/policy.js';

/** One cycle: the nodes in order (the first is not repeated) and the edge leaving each node. */
export interface Cycle {
  nodes: string[];
  edges: Ref[];
}

/**
 * Finds the cycles of a directed graph given as node -> outgoing edges (each a Ref naming the
 * target, with the position where the edge is written). Edges to unknown nodes are ignored
 * (they are dangling references, reported elsewhere). Each cycle is reported once, rotated to
 * start at its alphabetically smallest node, so the output does not depend on source order.
 * Iterative depth-first search: inheritance chains can be thousands deep.
 */
export function findCycles(graph: ReadonlyMap<string, readonly Ref[]>): Cycle[] {
  const state = new Map<string, 'active' | 'done'>();
  const found = new Map<string, Cycle>();
  for (const start of [...graph.keys()].sort()) {
    if (state.has(start)) continue;
    // Path of the DFS: node names and, per node, the index of the next edge to follow.
    const path: string[] = [start];
    const via: Ref[] = [];
    const next: number[] = [0];
    state.set(start, 'active');
    while (path.length > 0) {
      const node = path[path.length - 1]!;
      const edges = graph.get(node) ?? [];
      const index = next[next.length - 1]!;
      if (index >= edges.length) {
        state.set(node, 'done');
        path.pop();
        next.pop();
        via.pop();
        continue;
      }
      next[next.length - 1] = index + 1;
      const edge = edges[index]!;
      const target = edge.value;
      if (!graph.has(target)) continue;
      const seen = state.get(target);
      if (seen === 'active') {
        const from = path.lastIndexOf(target);
        const cycle = canonical(path.slice(from), [...via.slice(from), edge]);
        const key = cycle.nodes.join('\u0000');
        if (!found.has(key)) found.set(key, cycle);
      } else if (seen === undefined) {
        state.set(target, 'active');
        path.push(target);
        via.push(edge);
        next.push(0);
      }
    }
  }
  return [...found.values()].sort((a, b) => (a.nodes.join('\u0000') < b.nodes.join('\u0000') ? -1 : 1));
}

/** Rotates a cycle so that it starts at its smallest node name. */
function canonical(nodes: string[], edges: Ref[]): Cycle {
  let start = 0;
  for (let i = 1; i < nodes.length; i++) if (nodes[i]! < nodes[start]!) start = i;
  return { nodes: [...nodes.slice(start), ...nodes.slice(0, start)], edges: [...edges.slice(start), ...edges.slice(0, start)] };
}

/** `a -> b -> c -> a` */
export function describeCycle(cycle: Cycle): string {
  return [...cycle.nodes, cycle.nodes[0]].join(' -> ');
}
