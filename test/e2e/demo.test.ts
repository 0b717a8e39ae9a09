import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { cloneWithDist } from '../helpers/bundle.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-demo-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const RUNS = 5;

it(`npm run demo in a fresh clone reports exactly the refs the layout then holds (${RUNS} runs)`, { timeout: 300_000 }, () => {
  // What a new user has: a clone of the committed HEAD (with dist/ built from it).
  const clone = cloneWithDist(join(scratch, 'chartship'));
  const charts = readdirSync(join(clone, 'examples', 'charts')).sort();

  for (let run = 1; run <= RUNS; run++) {
    rmSync(join(clone, '.chartship'), { recursive: true, force: true });
    const demo = spawnSync('npm', ['run', '--silent', 'demo'], { cwd: clone, encoding: 'utf8', env: { PATH: process.env['PATH'], HOME: scratch }, timeout: 120_000 });
    const output = `${demo.stdout}\n${demo.stderr}`;
    assert.equal(demo.status, 0, output);
    const reported = [...output.matchAll(/^Pushed: (\S+)\nDigest: (sha256:[0-9a-f]{64})$/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
    const index = JSON.parse(readFileSync(join(clone, '.chartship', 'oci-layout', 'index.json'), 'utf8')) as { manifests: { digest: string; annotations: Record<string, string> }[] };
    const held = index.manifests.map((m) => `oci:.chartship/oci-layout:${m.annotations['org.opencontainers.image.ref.name']} ${m.digest}`).sort();
    assert.deepEqual(reported, held, `run ${run}: what the demo says it pushed is what the layout holds`);
    assert.deepEqual(held.map((h) => h.split(':')[2]).sort(), charts, `run ${run}: every example chart is in the layout`);
    assert.match(demo.stdout, new RegExp(`${charts.length} pushed`), `run ${run}`);
    // The examples are what the README points a new user at: the default policy finds nothing in them, and the only
    // warnings say which rules could not run here (helm not on PATH, no allowed registries configured).
    assert.match(output, new RegExp(`^${charts.length} charts checked \\(warnings only[^)]*\\): no findings\\.$`, 'm'), `run ${run}`);
    assert.deepEqual(output.split('\n').filter((l) => /^warning:/.test(l) && !/^warning: policy: .* not checked for /.test(l)), [], `run ${run}`);
    // The summary it prints is markdown: chartship's own `code` is a code span there, not backslashed backticks.
    assert.match(demo.stdout, /^- .* not on PATH: this rule renders the chart with `helm template`$/m, `run ${run}`);
  }
});
