import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { highestMatch, parseConstraint, toRange } from '../../src/charts/version-range.js';
import { startChartRepository, type ChartRepository } from '../helpers/chart-repo.js';
import { HELM_MAJORS, isolatedHelm, type HelmMajor } from '../helpers/helm.js';

/** What the repository offers: stable and prerelease versions, and one only helm's lenient reading accepts. */
const VERSIONS = [
  '0.0.1', '0.0.2', '0.1.0', '0.1.5', '0.2.0', '0.9.9',
  '1.0.0-alpha.1', '1.0.0-rc.1', '1.0.0', '1.0.5', '1.1.0', '1.2.0', '1.2.3', '1.2.4',
  '1.3.0-beta.1', '1.5.0-rc.1', '1.9.9', '2.0.0-rc.1', '2.0.0', '2.1.0', '3.0.0', 'v4.0.0', '10.0.0',
];

/**
 * constraint → the version `helm dependency update` locks (null: helm refuses). `helm3` is set where helm 3.17
 * (Masterminds semver v3.3) resolves differently from helm 4.1 (v3.4); chartship follows helm 4. Each row is
 * checked against both real binaries below, so the table cannot drift from what helm does.
 */
const CASES: { constraint: string; helm4: string | null; helm3?: string | null }[] = [
  { constraint: '!=1.2.3', helm4: '10.0.0' },
  { constraint: '>=1.0.0, !=1.2.4, <1.3.0', helm4: '1.2.3' },
  { constraint: '=>1.2.0 <2', helm4: '1.9.9' },
  { constraint: '=<1.2', helm4: '1.2.4' },
  { constraint: '<1.2', helm4: '1.1.0' },
  { constraint: '>1.2 <2', helm4: '1.9.9' },
  { constraint: '>1 <3', helm4: '2.1.0' },
  { constraint: '1.0 - 1.2', helm4: '1.2.4' },
  { constraint: '1.1.0 - 2', helm4: '2.1.0' },
  { constraint: '~1.2 || ^3', helm4: '3.0.0' },
  { constraint: '^0.1', helm4: '0.1.5' },
  { constraint: '^0.0.1', helm4: '0.0.1' },
  { constraint: '^0', helm4: '0.9.9' },
  { constraint: '~0', helm4: '0.9.9' },
  { constraint: '~0.0.0', helm4: '10.0.0' },
  { constraint: '1.2.x', helm4: '1.2.4' },
  { constraint: '1.2.*', helm4: '1.2.4' },
  { constraint: '1.x', helm4: '1.9.9' },
  { constraint: '*', helm4: '10.0.0' },
  { constraint: 'X', helm4: '10.0.0' },
  { constraint: '=1.0.5', helm4: '1.0.5' },
  { constraint: 'v1.0.5', helm4: '1.0.5' },
  { constraint: '~01.2', helm4: '1.2.4' },
  { constraint: '>=1 !=1.x <3', helm4: '2.1.0' },
  { constraint: '<1.0.0', helm4: '0.9.9' },
  { constraint: '<1.0.0-rc.2', helm4: '1.0.0-rc.1' },
  { constraint: '~1.3.0-0', helm4: '1.3.0-beta.1' },
  { constraint: '^2.0.0-rc.1', helm4: '2.1.0' },
  { constraint: '2.0.0-rc.1', helm4: '2.0.0-rc.1' },
  { constraint: '>=1.0.0-0', helm4: '10.0.0' },
  { constraint: '1.0.0-alpha.1 - 1.0.0-rc.1', helm4: '1.0.0-rc.1' },
  // The whole alternative admits prereleases in helm 4; in helm 3 only the comparison that names one does.
  { constraint: '>=1.5.0-0 <1.9.0', helm4: '1.5.0-rc.1', helm3: null },
  { constraint: '>=1.0.0-0 <1.2.0', helm4: '1.1.0' },
  { constraint: '^4', helm4: 'v4.0.0' },
  { constraint: '', helm4: null },
  { constraint: '1.2.3.4', helm4: null },
  { constraint: '>= 1.0 foo', helm4: null },
  { constraint: '^5', helm4: null },
  { constraint: '1.0.0,2.0.0', helm4: null },
];

const expected = (c: (typeof CASES)[number], major: HelmMajor) => (major === 3 && c.helm3 !== undefined ? c.helm3 : c.helm4);

describe('dependency constraints read as helm 4 reads them', () => {
  for (const c of CASES) {
    it(`${JSON.stringify(c.constraint)} → ${c.helm4 ?? 'refused'}`, () => {
      const range = toRange(c.constraint);
      const picked = range ? (highestMatch(VERSIONS, range) ?? null) : null;
      assert.equal(picked, c.helm4);
    });
  }

  it('explains a refusal as helm does', () => {
    assert.throws(() => parseConstraint(''), /improper constraint: $/);
    assert.throws(() => parseConstraint('>= 1.0 foo'), /improper constraint: >= 1\.0 foo/);
  });
});

for (const major of HELM_MAJORS) {
  describe(`the table against helm ${major}: helm dependency update over a loopback chart repository`, () => {
    let repo: ChartRepository;
    const scratch = mkdtempSync(join(tmpdir(), 'chartship-constraints-'));
    const helm = isolatedHelm(major);
    before(async () => {
      repo = await startChartRepository({ dep: VERSIONS });
    });
    after(async () => {
      await repo?.stop();
      helm.cleanup();
      rmSync(scratch, { recursive: true, force: true });
    });

    /** One chart per call, one dependency per constraint (aliases keep them apart); returns what Chart.lock pins. */
    const resolve = async (label: string, constraints: string[]): Promise<string[]> => {
      const dir = join(scratch, label);
      mkdirSync(dir, { recursive: true });
      const deps = constraints.map((c, i) => `  - name: dep\n    alias: c${i}\n    version: ${JSON.stringify(c)}\n    repository: ${repo.url}\n`).join('');
      writeFileSync(join(dir, 'Chart.yaml'), `apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n${deps}`);
      await helm.run(['dependency', 'update', dir]);
      const lock = parse(readFileSync(join(dir, 'Chart.lock'), 'utf8')) as { dependencies: { version: string }[] };
      return lock.dependencies.map((d) => d.version);
    };

    it('locks the version the table says for every constraint helm resolves', async () => {
      const resolvable = CASES.filter((c) => expected(c, major) !== null);
      const locked = await resolve('all', resolvable.map((c) => c.constraint));
      assert.deepEqual(
        Object.fromEntries(resolvable.map((c, i) => [c.constraint, locked[i]])),
        Object.fromEntries(resolvable.map((c) => [c.constraint, expected(c, major)])),
      );
    });

    it('refuses every constraint the table says helm refuses', async () => {
      const refused = CASES.filter((c) => expected(c, major) === null);
      // One after another: helm processes sharing a home race on its repository cache ("empty index.yaml file").
      const outcomes: string[] = [];
      for (const [i, c] of refused.entries()) {
        outcomes.push(
          await resolve(`refused-${i}`, [c.constraint]).then(
            (locked) => `${c.constraint}: locked ${locked[0]}`,
            (error: unknown) => (/can't get a valid version|invalid version\/constraint format|improper constraint/.test(String(error)) ? `${c.constraint}: refused` : String(error)),
          ),
        );
      }
      assert.deepEqual(outcomes, refused.map((c) => `${c.constraint}: refused`));
    });
  });
}
