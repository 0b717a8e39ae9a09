import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runGraph } from '../../src/pipeline/schedule.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('runGraph', () => {
  it('runs dependencies first and never more than the limit at once', async () => {
    const order: string[] = [];
    let running = 0;
    let peak = 0;
    const task = (id: string, dependsOn: string[] = []) => ({
      id,
      dependsOn,
      run: async () => {
        running++;
        peak = Math.max(peak, running);
        await tick();
        order.push(id);
        running--;
        return id.toUpperCase();
      },
    });
    const outcomes = await runGraph([task('app', ['lib']), task('lib'), task('a'), task('b'), task('c')], { limit: 2 });
    assert.ok(order.indexOf('lib') < order.indexOf('app'));
    assert.equal(peak, 2);
    assert.deepEqual(outcomes.get('app'), { id: 'app', state: 'done', value: 'APP' });
  });

  it('blocks dependents of a failure and goes on with the rest', async () => {
    const outcomes = await runGraph(
      [
        { id: 'lib', dependsOn: [], run: () => Promise.reject(new Error('boom')) },
        { id: 'app', dependsOn: ['lib'], run: () => Promise.resolve('app') },
        { id: 'other', dependsOn: ['not-in-graph'], run: () => Promise.resolve('other') },
      ],
      { limit: 1 },
    );
    assert.equal(outcomes.get('lib')?.state, 'failed');
    assert.deepEqual(outcomes.get('app'), { id: 'app', state: 'blocked', by: 'lib' });
    assert.equal(outcomes.get('other')?.state, 'done');
  });

  it('with failFast cancels what has not started', async () => {
    const ran: string[] = [];
    const outcomes = await runGraph(
      ['a', 'b', 'c'].map((id) => ({ id, dependsOn: [], run: () => { ran.push(id); return id === 'a' ? Promise.reject(new Error('a failed')) : Promise.resolve(id); } })),
      { limit: 1, failFast: true },
    );
    assert.deepEqual(ran, ['a']);
    assert.equal(outcomes.get('b')?.state, 'cancelled');
    assert.equal(outcomes.get('c')?.state, 'cancelled');
  });
});
