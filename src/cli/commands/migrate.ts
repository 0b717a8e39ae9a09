import { resolve } from 'node:path';
import { ChartshipError } from '../../model/errors.js';
import { migrate } from '../../pipeline/migrate.js';
import { renderMigration } from '../../report/migrate-text.js';
import { parseCommand } from '../args.js';
import type { CliIO } from '../io.js';
import { stderrLog } from '../log.js';
import { REGISTRY_FLAGS, REGISTRY_HELP, registryOptions } from '../registry-flags.js';

const HELP = `usage: chartship migrate <https://…/index.yaml | repository URL> <oci://HOST[:PORT]/NAMESPACE> [options]

Copies a classic chart repository (chart-releaser's GitHub Pages, ChartMuseum, any index.yaml) into an OCI
registry: each chart version's archive exactly as published (not repackaged), its .prov as the provenance layer
when <archive URL>.prov exists, the OCI config derived from the archive's Chart.yaml as helm push does. What the
registry already holds is left alone, so a rerun copies nothing and an interrupted run picks up where it stopped.
Prints a line per chart version as it finishes, then a table; exits 1 when any version failed.

options:
  --charts NAME                copy only this chart (repeatable; default: every chart in the index)
  --versions all|latest|RANGE  which versions: all (default), each chart's highest release, or a range
  --concurrency N              versions copied at once (default 4)
  --json                       print the results as JSON

the source (credentials also from CHARTSHIP_SOURCE_USERNAME and CHARTSHIP_SOURCE_PASSWORD):
  --source-username USER       sent when the repository asks (Basic, or for a token: ChartMuseum's bearer auth)
  --source-password-stdin      read the source password from standard input
  --source-ca-file FILE        trust this CA for the source
  --source-insecure-skip-tls-verify
                               do not verify the source's certificate

the registry:
${REGISTRY_HELP}
  -h, --help                   show this help
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = await parseCommand(
    {
      name: 'migrate',
      help: HELP,
      positionals: { min: 2, max: 2, what: '<source> and <target>' },
      options: {
        charts: { type: 'string', multiple: true },
        versions: { type: 'string' },
        concurrency: { type: 'string' },
        json: { type: 'boolean' },
        'source-username': { type: 'string' },
        'source-password-stdin': { type: 'boolean' },
        'source-ca-file': { type: 'string' },
        'source-insecure-skip-tls-verify': { type: 'boolean' },
        ...REGISTRY_FLAGS,
      },
    },
    argv,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [source, target] = positionals as [string, string];
  if (values['source-password-stdin'] && values['password-stdin']) {
    throw new ChartshipError('--source-password-stdin and --password-stdin cannot both read standard input', {
      code: 'USAGE',
      hint: 'pass one of the passwords in its environment variable (CHARTSHIP_SOURCE_PASSWORD or CHARTSHIP_PASSWORD)',
    });
  }
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) {
    throw new ChartshipError(`--concurrency must be a whole number from 1 to 64, got ${JSON.stringify(values.concurrency)}`, { code: 'USAGE' });
  }

  const registry = await registryOptions(values, io, 'migrate');
  const sourceUser = values['source-username'] ?? io.env['CHARTSHIP_SOURCE_USERNAME'];
  const sourcePassword = values['source-password-stdin'] ? (await io.readStdin()).toString('utf8').replace(/\r?\n$/, '') : io.env['CHARTSHIP_SOURCE_PASSWORD'];
  if ((sourceUser === undefined) !== (sourcePassword === undefined)) {
    throw new ChartshipError(sourceUser === undefined ? 'a source password needs a source username' : 'a source username needs a password', {
      code: 'USAGE',
      hint: 'pass --source-username with --source-password-stdin, or set both CHARTSHIP_SOURCE_USERNAME and CHARTSHIP_SOURCE_PASSWORD',
    });
  }

  const outcome = await migrate(
    {
      source,
      sourceOptions: {
        ...(sourceUser !== undefined ? { username: sourceUser, password: sourcePassword } : {}),
        caFile: values['source-ca-file'] && resolve(io.cwd, values['source-ca-file']),
        insecureSkipTlsVerify: values['source-insecure-skip-tls-verify'],
        env: io.env,
        credentialHint: 'pass --source-username with --source-password-stdin, or set CHARTSHIP_SOURCE_USERNAME and CHARTSHIP_SOURCE_PASSWORD',
        tlsHint: "pass the source's CA with --source-ca-file FILE",
      },
      target,
      targetOptions: registry,
      charts: values.charts,
      versions: values.versions,
      concurrency,
    },
    stderrLog(io),
  );
  if (values.json) io.stdout(`${JSON.stringify({ results: outcome.results, skipped: outcome.skipped }, null, 2)}\n`);
  else io.stdout(renderMigration(outcome.results, outcome.skipped));
  return outcome.results.some((r) => r.status === 'failed') ? 1 : 0;
}

