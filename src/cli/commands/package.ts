import { resolve } from 'node:path';
import { ChartshipError } from '../../model/errors.js';
import { packageToDirectory } from '../../pipeline/package.js';
import { parseCommand } from '../args.js';
import { signingKeyFiles } from '../inputs.js';
import type { CliIO } from '../io.js';

const HELP = `usage: chartship package <chart-dir> [options]

Packages a chart directory into <name>-<version>.tgz, byte for byte reproducible: every entry is stamped with
SOURCE_DATE_EPOCH, else the time of the last commit touching the chart, else 1980-01-01T00:00:00Z.
Dependencies missing from charts/ are fetched (file://, oci://, https://) and Chart.lock is written into the archive.
Like helm, the archive holds Chart.yaml and Chart.lock re-serialised from their fields (comments and key order are
not kept); every other file is copied as is.

options:
  -d, --destination DIR     where to write the archive (default: current directory)
      --version V           set the chart version in the archive (the chart directory is not changed)
      --app-version A       set appVersion in the archive
      --sign                write a provenance file <archive>.prov next to the archive
      --key-file KEY.asc    armored OpenPGP secret key to sign with (with --sign)
      --passphrase-file F   file holding the key's passphrase
      --plain-http          fetch oci:// dependencies over plain HTTP (loopback registries)
      --json                print the result as JSON
  -h, --help                show this help
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = await parseCommand(
    {
      name: 'package',
      help: HELP,
      positionals: { min: 1, max: 1, what: 'one chart directory' },
      options: {
        destination: { type: 'string', short: 'd' },
        version: { type: 'string' },
        'app-version': { type: 'string' },
        sign: { type: 'boolean' },
        'key-file': { type: 'string' },
        'passphrase-file': { type: 'string' },
        'plain-http': { type: 'boolean' },
        json: { type: 'boolean' },
      },
    },
    argv,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (!values.sign && (values['key-file'] || values['passphrase-file'])) {
    throw new ChartshipError('--key-file and --passphrase-file need --sign', { field: '--sign' });
  }
  if (values.sign && !values['key-file']) throw new ChartshipError('--sign needs --key-file KEY.asc', { field: '--key-file' });
  const keyFile = values.sign ? values['key-file'] : undefined;

  const { packaged, path, provPath } = await packageToDirectory(resolve(io.cwd, positionals[0]!), {
    destination: resolve(io.cwd, values.destination ?? '.'),
    version: values.version,
    appVersion: values['app-version'],
    signKey: keyFile ? await signingKeyFiles(io, keyFile, values['passphrase-file'], { key: '--key-file', passphrase: '--passphrase-file' }) : undefined,
    plainHttp: values['plain-http'],
    env: io.env,
    warn: (message) => io.stderr(`warning: ${message}\n`),
  });

  if (values.json) {
    const { name, version, sha256, sourceDate, sourceDateOrigin } = packaged;
    io.stdout(`${JSON.stringify({ name, version, path, sha256, sourceDate: sourceDate.toISOString(), sourceDateOrigin, ...(provPath ? { prov: provPath } : {}) }, null, 2)}\n`);
  } else {
    io.stdout(`Successfully packaged chart and saved it to: ${path}\n`);
    if (provPath) io.stdout(`Provenance file saved to: ${provPath}\n`);
  }
  return 0;
}
