import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';

/** The first line a user reads, and the exit code. */
async function refused(args: string[]): Promise<string> {
  const run = await runCli(args, { cwd: tmpdir() });
  assert.equal(run.code, 2, run.stderr);
  assert.equal(run.stdout, '');
  return run.stderr.split('\n')[0]!;
}

describe('a mistyped command line', () => {
  it('names the command it was probably meant to be', async () => {
    assert.equal(await refused(['publsh']), 'chartship: unknown command "publsh" (did you mean "publish"?)');
    assert.equal(await refused(['verfiy']), 'chartship: unknown command "verfiy" (did you mean "verify"?)');
    assert.equal(await refused(['frobnicate']), 'chartship: unknown command "frobnicate"');
  });

  it('names the flag it was probably meant to be, for each command', async () => {
    assert.equal(await refused(['publish', '--registy', 'oci://r/x']), 'chartship publish: unknown option --registy (did you mean --registry?)');
    assert.equal(await refused(['publish', '--dryrun']), 'chartship publish: unknown option --dryrun (did you mean --dry-run?)');
    assert.equal(await refused(['plan', '--since-tag']), 'chartship plan: unknown option --since-tag (did you mean --since-tags?)');
    assert.equal(await refused(['push', '--hlp']), 'chartship push: unknown option --hlp (did you mean --help?)');
    assert.equal(await refused(['publish', '--registry=oci://r/x', '--sign-kye-file=k.asc']), 'chartship publish: unknown option --sign-kye-file (did you mean --sign-key-file?)');
    assert.equal(await refused(['plan', '--zzzzzz']), 'chartship plan: unknown option --zzzzzz');
  });

  it("keeps node's own words for other mistakes, and the help follows", async () => {
    const run = await runCli(['publish', '--registry'], { cwd: tmpdir() });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^chartship publish: Option '--registry <value>' argument missing/);
    assert.match(run.stderr, /\n\nusage: chartship publish \[options\]/);
  });

  it('refuses a CHARTSHIP_ variable that almost names a setting, and leaves other ones alone', async () => {
    const run = (env: NodeJS.ProcessEnv) => runCli(['publish', '--registry', 'oci-layout:out', '--dry-run'], { cwd: tmpdir(), env });
    const typo = await run({ CHARTSHIP_REGISTY: 'oci://ghcr.io/acme/charts' });
    assert.equal(typo.code, 1);
    assert.equal(typo.stderr, 'Error: CHARTSHIP_REGISTY: is not a chartship variable (did you mean CHARTSHIP_REGISTRY?)\n');
    const spelled = await run({ CHARTSHIP_DRYRUN: 'true' });
    assert.match(spelled.stderr, /^Error: CHARTSHIP_DRYRUN: is not a chartship variable \(did you mean CHARTSHIP_DRY_RUN\?\)$/m);
    // A variable close to no setting is not chartship's to judge: the run goes on (and fails later, outside a clone).
    const other = await run({ CHARTSHIP_MY_THING: '1', CHARTSHIP_SOURCE_PASSWORD: 'p' });
    assert.doesNotMatch(other.stderr, /not a chartship variable/);
  });
});
