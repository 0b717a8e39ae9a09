import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dependencyCycles, topologicalOrder } from '../../src/pipeline/plan-graph.js';

describe('dependencyCycles', () => {
  it('finds each cycle as a closed path and everything that reaches one', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['c']],
      ['e', ['d']],
      ['f', []],
      ['x', ['y']],
      ['y', ['x', 'f']],
    ]);
    const { cycles, blocked } = dependencyCycles(['a', 'b', 'c', 'd', 'e', 'f', 'x', 'y'], graph);
    assert.deepEqual(cycles, [['a', 'b', 'c', 'a'], ['x', 'y', 'x']]);
    assert.deepEqual([...blocked].sort(), [['d', 'c'], ['e', 'd']]);
    // What is left plans as before.
    assert.deepEqual(topologicalOrder(['f'], graph), ['f']);
  });

  it('has no cycle in a DAG, and a long chain does not overflow the stack', () => {
    const names = Array.from({ length: 20_000 }, (_, i) => `c${i}`);
    const graph = new Map(names.map((name, i) => [name, i + 1 < names.length ? [`c${i + 1}`] : []]));
    const { cycles, blocked } = dependencyCycles(names, graph);
    assert.deepEqual(cycles, []);
    assert.equal(blocked.size, 0);
  });
});
