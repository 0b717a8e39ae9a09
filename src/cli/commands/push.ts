import { resolve } from 'node:path';
import { ChartshipError } from '../../model/errors.js';
import type { TargetOptions } from '../../oci/index.js';
import { pushChartFile } from '../../pipeline/push.js';
import { parseCommand } from '../args.js';
import { passwordFromStdin } from '../inputs.js';
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

  const at = (file: string | undefined) => file && resolve(io.cwd, file);
  const target: TargetOptions = {
    plainHttp: values['plain-http'],
    caFile: at(values['ca-file']),
    certFile: at(values['cert-file']),
    keyFile: at(values['key-file']),
    insecureSkipTlsVerify: values['insecure-skip-tls-verify'],
    registryConfig: at(values['registry-config']),
    env: io.env,
    cwd: io.cwd,
    ...(values.username !== undefined && { username: values.username, password: await passwordFromStdin(io) }),
  };
  const result = await pushChartFile(resolve(io.cwd, chartPath), chartPath, spec, { target, overwrite: values.overwrite });
  if (values.json) {
    io.stdout(`${JSON.stringify(result)}\n`);
  } else {
    // Scripts parse helm's `Pushed:` line, so an overwrite keeps it and says the rest on stderr.
    if (result.status === 'overwritten') io.stderr(`chartship: replaced the previous content of ${result.ref}\n`);
    io.stdout(`${result.status === 'unchanged' ? 'Unchanged' : 'Pushed'}: ${result.ref}\nDigest: ${result.digest}\n`);
  }
  return 0;
}
