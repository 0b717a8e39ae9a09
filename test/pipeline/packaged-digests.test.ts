import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { packagedDigests } from '../../src/pipeline/packer.js';
import { chartFiles, createRepo } from '../helpers/git.js';

describe('digests of what publishing would push', () => {
  const repo = createRepo();
  after(() => repo.cleanup());

  it('packages a chart once however many targets ask about it', async () => {
    repo.commit('feat: a', chartFiles('charts/a', 'a', '1.0.0'));
    const digestsOf = packagedDigests(repo.dir, ['charts/a']);
    const first = await digestsOf({ path: 'charts/a', nextVersion: '1.1.0', nextAppVersion: undefined });
    assert.match(first.chartDigest, /^sha256:[0-9a-f]{64}$/);
    // Gone from disk: a second packaging would fail, the second target's question must not need one.
    repo.remove('charts/a');
    assert.deepEqual(await digestsOf({ path: 'charts/a', nextVersion: '1.1.0', nextAppVersion: undefined }), first);
    await assert.rejects(digestsOf({ path: 'charts/a', nextVersion: '1.2.0', nextAppVersion: undefined }), /chart directory not found/);
  });
});
