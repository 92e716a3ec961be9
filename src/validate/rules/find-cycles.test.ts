import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Ref } from '../../model/policy.js';
import { describeCycle, findCycles } from './find-cycles.js';

const loc = { file: 'g.yaml', line: 1, column: 1 };

function graphOf(edges: ReadonlyArray<readonly [string, string]>, nodes: readonly string[]): Map<string, Ref[]> {
  const graph = new Map<string, Ref[]>(nodes.map((n) => [n, []]));
  for (const [from, to] of edges) graph.get(from)!.push({ value: to, loc });
  return graph;
}

/** Independent oracle: a graph is acyclic exactly when Kahn's algorithm removes every node. */
function acyclic(graph: Map<string, Ref[]>): boolean {
  const indegree = new Map([...graph.keys()].map((n) => [n, 0]));
  for (const edges of graph.values()) for (const e of edges) if (indegree.has(e.value)) indegree.set(e.value, indegree.get(e.value)! + 1);
  const ready = [...indegree].filter(([, d]) => d === 0).map(([n]) => n);
  let removed = 0;
  while (ready.length > 0) {
    const node = ready.pop()!;
    removed++;
    for (const e of graph.get(node)!) {
      if (!indegree.has(e.value)) continue;
      indegree.set(e.value, indegree.get(e.value)! - 1);
      if (indegree.get(e.value) === 0) ready.push(e.value);
    }
  }
  return removed === graph.size;
}

describe('findCycles', () => {
  it('reports a cycle exactly when the graph has one, and every reported cycle is real', () => {
    const nodes = ['a', 'b', 'c', 'd', 'e', 'f'];
    const node = fc.constantFrom(...nodes);
    fc.assert(
      fc.property(fc.array(fc.tuple(node, node), { maxLength: 12 }), (edges) => {
        const graph = graphOf(edges, nodes);
        const cycles = findCycles(graph);
        expect(cycles.length === 0).toBe(acyclic(graph));
        for (const cycle of cycles) {
          cycle.nodes.forEach((from, i) => {
            const to = cycle.nodes[(i + 1) % cycle.nodes.length]!;
            expect(cycle.edges[i]!.value).toBe(to);
            expect(graph.get(from)!.some((e) => e.value === to)).toBe(true);
          });
          expect(new Set(cycle.nodes).size).toBe(cycle.nodes.length);
        }
      }),
    );
  });

  it('gives the same cycles whatever the order of nodes and edges', () => {
    const forward = graphOf([['x', 'y'], ['y', 'z'], ['z', 'x']], ['x', 'y', 'z']);
    const backward = graphOf([['z', 'x'], ['y', 'z'], ['x', 'y']], ['z', 'y', 'x']);
    expect(findCycles(forward).map(describeCycle)).toEqual(['x -> y -> z -> x']);
    expect(findCycles(backward).map(describeCycle)).toEqual(['x -> y -> z -> x']);
  });

  it('ignores edges to unknown nodes', () => {
    expect(findCycles(graphOf([['a', 'ghost']], ['a']))).toEqual([]);
  });
});
