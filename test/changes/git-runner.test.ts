import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createGit } from '../../src/changes/git.js';
import { createRepo } from '../helpers/git.js';

describe("chartship's git", () => {
  const repo = createRepo();
  after(() => repo.cleanup());

  it('starts no automatic gc or maintenance, which would go on in the workspace after the step ended', async () => {
    // A repository whose every commit is due for gc, run in the foreground so that its work can be seen.
    repo.git('config', 'gc.auto', '1');
    repo.git('config', 'gc.autoDetach', 'false');
    repo.git('config', 'maintenance.auto', 'true');
    // Loose objects enough that git's estimate (it samples one of the 256 object directories) finds gc due.
    mkdirSync(join(repo.dir, 'bulk'));
    for (let i = 0; i < 3000; i++) writeFileSync(join(repo.dir, 'bulk', `${i}.txt`), `${i}\n`);
    repo.git('add', 'bulk');
    const git = createGit(repo.dir);
    for (let i = 0; i < 3; i++) {
      writeFileSync(join(repo.dir, `f${i}.txt`), `${i}\n`);
      await git.run(['add', '.']);
      await git.run(['-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', `chore: ${i}`]);
    }
    const packs = join(repo.dir, '.git', 'objects', 'pack');
    assert.deepEqual(existsSync(packs) ? readdirSync(packs).filter((f) => f.endsWith('.pack')) : [], []);
    // And the same commits by git's own defaults do pack: the check above can fail.
    writeFileSync(join(repo.dir, 'g.txt'), 'g\n');
    repo.git('add', '.');
    repo.git('-c', 'maintenance.auto=true', 'commit', '-q', '-m', 'chore: g');
    assert.notDeepEqual(readdirSync(packs).filter((f) => f.endsWith('.pack')), []);
  });
});
