import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ChartshipError } from '../../model/errors.js';
import { HttpDownloader } from '../../oci/index.js';
import { writeAtomically } from '../../package/index.js';
import { packageChart } from '../../pipeline/package.js';
import { loadSigningKey, signChart } from '../../sign/index.js';
import { parseCommand } from '../args.js';
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
  const parsed = parseCommand(
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
  const at = (p: string) => resolve(io.cwd, p);

  // The key is loaded first: a wrong passphrase must fail before anything is written.
  let signer;
  if (values.sign) {
    if (!values['key-file']) throw new ChartshipError('--sign needs --key-file KEY.asc', { field: '--key-file' });
    const armoredKey = await readText(at(values['key-file']), '--key-file');
    const passphrase = values['passphrase-file'] ? (await readText(at(values['passphrase-file']), '--passphrase-file')).replace(/\r?\n$/, '') : undefined;
    signer = await loadSigningKey({ armoredKey, passphrase, label: values['key-file'] });
    for (const warning of signer.warnings) io.stderr(`warning: ${warning}\n`);
  }

  const downloader = new HttpDownloader({ env: io.env });
  const packaged = await packageChart(at(positionals[0]!), {
    version: values.version,
    appVersion: values['app-version'],
    env: io.env,
    dependencies: { oci: { plainHttp: values['plain-http'], env: io.env }, download: downloader.download },
  }).finally(() => downloader.close());
  for (const warning of packaged.warnings) io.stderr(`warning: ${warning.describe()}\n`);
  const prov = signer ? await signChart(signer, packaged) : undefined;
  const destination = at(values.destination ?? '.');
  const path = await writeAtomically(destination, packaged.fileName, packaged.archive);
  const provPath = prov === undefined ? undefined : await writeAtomically(destination, `${packaged.fileName}.prov`, prov);

  if (values.json) {
    io.stdout(
      `${JSON.stringify(
        {
          name: packaged.name,
          version: packaged.version,
          path,
          sha256: packaged.sha256,
          sourceDate: packaged.sourceDate.toISOString(),
          sourceDateOrigin: packaged.sourceDateOrigin,
          ...(provPath ? { prov: provPath } : {}),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    io.stdout(`Successfully packaged chart and saved it to: ${path}\n`);
    if (provPath) io.stdout(`Provenance file saved to: ${provPath}\n`);
  }
  return 0;
}

async function readText(path: string, field: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ChartshipError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { field, file: path });
  }
}
