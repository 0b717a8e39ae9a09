import { resolve } from 'node:path';
import { pushChartFile } from '../../pipeline/push.js';
import { parseCommand } from '../args.js';
import type { CliIO } from '../io.js';
import { REGISTRY_FLAGS, REGISTRY_HELP, registryOptions } from '../registry-flags.js';

const HELP = `usage: chartship push <chart.tgz> <oci://HOST[:PORT]/NAMESPACE | oci-layout:DIR> [options]

Pushes a packaged chart the way \`helm push\` does. A sibling <chart.tgz>.prov is pushed as its provenance layer.
Pushing the same content again changes nothing; different content under an existing version is refused.

options:
${REGISTRY_HELP}
  --overwrite                  replace a version that exists with different content
  --create-repositories        ECR: create the repository when it does not exist (AWS credential chain)
  --json                       print the result as one JSON object
  -h, --help                   show this help
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = await parseCommand(
    {
      name: 'push',
      help: HELP,
      positionals: { min: 2, max: 2, what: '<chart.tgz> and <target>' },
      options: {
        ...REGISTRY_FLAGS,
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
  const target = {
    ...(await registryOptions(values, io, 'push')),
    createRepositories: values['create-repositories'],
    onNotice: (message: string) => io.stderr(`chartship: ${message}\n`),
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
