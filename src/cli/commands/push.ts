import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ChartshipError } from '../../errors.js';
import { openTarget, type TargetOptions } from '../../oci/index.js';
import { parseCommand } from '../args.js';
import type { CliIO } from '../io.js';

const HELP = `usage: chartship push <chart.tgz> <oci://HOST[:PORT]/NAMESPACE | oci-layout:DIR> [options]

Pushes a packaged chart the way \`helm push\` does. A sibling <chart.tgz>.prov is pushed as its provenance layer.
Pushing the same content again changes nothing; different content under an existing version is refused.

options:
  --plain-http                 use HTTP instead of HTTPS
  --ca-file FILE               trust this CA for the registry
  --cert-file FILE             client certificate
  --key-file FILE              client key
  --insecure-skip-tls-verify   do not verify the registry's certificate
  --username USER              with --password-stdin; otherwise helm's and docker's config.json are used
  --password-stdin             read the password (or token) from standard input
  --registry-config FILE       registry config.json instead of helm's default
  --overwrite                  replace a version that exists with different content
  --create-repositories        ECR: create the repository when it does not exist (AWS credential chain)
  --json                       print the result as one JSON object
  -h, --help                   show this help
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseCommand(
    {
      name: 'push',
      help: HELP,
      positionals: { min: 2, max: 2, what: '<chart.tgz> and <target>' },
      options: {
        'plain-http': { type: 'boolean' },
        'ca-file': { type: 'string' },
        'cert-file': { type: 'string' },
        'key-file': { type: 'string' },
        'insecure-skip-tls-verify': { type: 'boolean' },
        username: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        'registry-config': { type: 'string' },
        overwrite: { type: 'boolean' },
        'create-repositories': { type: 'boolean' },
        json: { type: 'boolean' },
      },
    },
    argv,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [chartPath, spec] = positionals as [string, string];
  if (values['password-stdin'] && values.username === undefined) {
    throw new ChartshipError('--password-stdin needs --username', { code: 'USAGE' });
  }
  if (values.username !== undefined && !values['password-stdin']) {
    throw new ChartshipError('--username needs --password-stdin', { code: 'USAGE', hint: 'pipe the password: echo "$PASSWORD" | chartship push … --username USER --password-stdin' });
  }

  const file = resolve(io.cwd, chartPath);
  const archive = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new ChartshipError(error.code === 'ENOENT' ? 'no such file' : error.message, { file: chartPath, code: 'CHART_ARCHIVE_MISSING' });
  });
  const prov = await readFile(`${file}.prov`).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new ChartshipError(error.message, { file: `${chartPath}.prov` });
  });

  const options: TargetOptions = {
    plainHttp: values['plain-http'],
    caFile: values['ca-file'] && resolve(io.cwd, values['ca-file']),
    certFile: values['cert-file'] && resolve(io.cwd, values['cert-file']),
    keyFile: values['key-file'] && resolve(io.cwd, values['key-file']),
    insecureSkipTlsVerify: values['insecure-skip-tls-verify'],
    registryConfig: values['registry-config'] && resolve(io.cwd, values['registry-config']),
    createRepositories: values['create-repositories'],
    onNotice: (message) => io.stderr(`chartship: ${message}\n`),
    env: io.env,
    cwd: io.cwd,
  };
  if (values.username !== undefined) {
    options.username = values.username;
    options.password = (await io.readStdin()).toString('utf8').replace(/\r?\n$/, '');
  }

  const target = openTarget(spec, options);
  try {
    const result = await target.pushChart({ archive, ...(prov ? { prov } : {}), label: chartPath }, { overwrite: values.overwrite });
    if (values.json) {
      io.stdout(`${JSON.stringify(result)}\n`);
    } else {
      // Scripts parse helm's `Pushed:` line, so an overwrite keeps it and says the rest on stderr.
      if (result.status === 'overwritten') io.stderr(`chartship: replaced the previous content of ${result.ref}\n`);
      io.stdout(`${result.status === 'unchanged' ? 'Unchanged' : 'Pushed'}: ${result.ref}\nDigest: ${result.digest}\n`);
    }
    return 0;
  } finally {
    await target.close();
  }
}
