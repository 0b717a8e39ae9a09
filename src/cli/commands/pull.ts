import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ChartshipError } from '../../model/errors.js';
import { pullChart } from '../../pipeline/pull.js';
import { parseCommand } from '../args.js';
import type { CliIO } from '../io.js';
import { stderrLog } from '../log.js';
import { REGISTRY_FLAGS, REGISTRY_HELP, registryOptions } from '../registry-flags.js';
import { defaultKeyring, KEYRING_HINT, verificationLines } from '../verification.js';

const HELP = `usage: chartship pull oci://HOST[:PORT]/NAMESPACE/CHART[:TAG][@sha256:…] [options]

Downloads a chart the way \`helm pull\` does: <chart>-<version>.tgz, byte for byte what was pushed, with every
blob checked against its digest and size. --version takes a version or a range (^1.2, ~1.2.0, >=1.0.0 <2.0.0),
resolved over the registry's tags as helm resolves it; without it, the highest release. Charts stored by helm < 3.7
(layer type application/tar+gzip) are read too, with a warning.

options:
      --version V|RANGE        the chart version, or a range to pick the highest match from
      --devel                  without --version, the highest version prereleases included (helm's >0.0.0-0)
  -d, --destination DIR        where to write the archive (default: current directory)
      --prov                   also write <chart>-<version>.tgz.prov
      --verify                 verify the provenance before writing anything (writes the .prov too)
      --keyring FILE           public keys for --verify (default: $GNUPGHOME/pubring.gpg or ~/.gnupg/pubring.gpg)
      --untar                  expand the chart into <untardir>/<chart> instead of keeping the archive
      --untardir DIR           with --untar, relative to the destination (default: .)
${REGISTRY_HELP}
      --json                   print the result as JSON
  -h, --help                   show this help
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = await parseCommand(
    {
      name: 'pull',
      help: HELP,
      positionals: { min: 1, max: 1, what: 'one chart reference' },
      options: {
        version: { type: 'string' },
        devel: { type: 'boolean' },
        destination: { type: 'string', short: 'd' },
        prov: { type: 'boolean' },
        verify: { type: 'boolean' },
        keyring: { type: 'string' },
        untar: { type: 'boolean' },
        untardir: { type: 'string' },
        ...REGISTRY_FLAGS,
        json: { type: 'boolean' },
      },
    },
    argv,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (values.untardir !== undefined && !values.untar) throw new ChartshipError('--untardir needs --untar', { code: 'USAGE' });
  if (values.keyring !== undefined && !values.verify) throw new ChartshipError('--keyring needs --verify', { code: 'USAGE' });
  const registry = await registryOptions(values, io, 'pull');

  let verify: { keyring: Buffer; keyringFile: string } | undefined;
  if (values.verify) {
    const keyringFile = values.keyring ?? defaultKeyring(io.env);
    const keyring = await readFile(resolve(io.cwd, keyringFile)).catch((error: NodeJS.ErrnoException) => {
      throw new ChartshipError(`cannot read the keyring: ${error.code === 'ENOENT' ? 'does not exist' : error.message}`, {
        file: keyringFile,
        code: 'VERIFY_INPUT',
        hint: values.keyring === undefined ? KEYRING_HINT : undefined,
      });
    });
    verify = { keyring, keyringFile };
  }

  const outcome = await pullChart(
    {
      ref: positionals[0]!,
      // As helm pull: --devel is the range of every version, prereleases included, and a --version given wins over it.
      version: values.version ?? (values.devel ? '>0.0.0-0' : undefined),
      destination: resolve(io.cwd, values.destination ?? '.'),
      prov: values.prov,
      verify,
      untar: values.untar,
      untarDir: values.untardir,
      registry,
    },
    stderrLog(io),
  );
  if (values.json) {
    const { verification, ...rest } = outcome;
    const verified = verification && { signedBy: verification.signedBy, userIds: verification.userIds, fingerprint: verification.fingerprint, chartHash: verification.chartHash };
    io.stdout(`${JSON.stringify({ ...rest, ...(verified ? { verification: verified } : {}) }, null, 2)}\n`);
    return 0;
  }
  // As helm: where it came from on stderr, what the verification found on stdout.
  io.stderr(`Pulled: ${outcome.ref}\nDigest: ${outcome.digest}\n`);
  if (outcome.verification) io.stdout(verificationLines(outcome.verification));
  return 0;
}
