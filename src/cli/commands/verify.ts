import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { ChartshipError } from '../../model/errors.js';
import { readChartArchive } from '../../charts/archive.js';
import { verifyChart } from '../../sign/index.js';
import { parseCommand } from '../args.js';
import type { CliIO } from '../io.js';
import { defaultKeyring, KEYRING_HINT, verificationLines } from '../verification.js';

const HELP = `usage: chartship verify <chart.tgz> [--keyring <pubring.gpg|keys.asc>] [--json]
       chartship verify oci://HOST/NAMESPACE/CHART:VERSION --certificate-identity ID --certificate-oidc-issuer URL
                        (a keyless Sigstore attestation: chartship verify oci://… --help)

Checks <chart.tgz>.prov the way helm verify does: the OpenPGP signature against the keyring, then the sha256 the
.prov lists for the archive's file name against the archive's bytes. Exits non-zero when either check fails.

options:
      --keyring FILE   public keys to trust: a binary keyring (gpg --export > pubring.gpg) or armored keys
                       (default, as helm's: $GNUPGHOME/pubring.gpg or ~/.gnupg/pubring.gpg)
      --json           print the result as JSON
  -h, --help           show this help
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  // A chart in a registry is checked by its attestations; a chart archive by its .prov file.
  if (argv.some((arg) => arg.startsWith('oci://'))) return (await import('./verify-attestation.js')).run(argv, io);
  const parsed = await parseCommand(
    {
      name: 'verify',
      help: HELP,
      positionals: { min: 1, max: 1, what: 'one chart archive' },
      options: {
        keyring: { type: 'string' },
        json: { type: 'boolean' },
      },
    },
    argv,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;

  const archivePath = positionals[0] as string;
  const provPath = `${archivePath}.prov`;
  const archive = await readInput(resolve(io.cwd, archivePath), archivePath, 'the chart archive');
  const prov = (await readInput(resolve(io.cwd, provPath), provPath, 'the provenance file', 'sign with chartship package --sign or helm package --sign')).toString('utf8');
  const keyringFile = values.keyring ?? defaultKeyring(io.env);
  // Not given, the keyring is helm's default: naming the flag would blame one the user did not pass.
  const given = values.keyring !== undefined;
  const keyring = await readInput(resolve(io.cwd, keyringFile), keyringFile, given ? '--keyring' : "helm's default keyring", given ? undefined : KEYRING_HINT);
  // As helm does, only a loadable chart archive is verified: this also rejects a .prov passed by mistake.
  const chart = await readChartArchive(archive, archivePath);

  const result = await verifyChart({ archive, fileName: basename(archivePath), prov, keyring, provFile: provPath, keyringFile });
  if (values.json) {
    const out = {
      file: archivePath,
      name: chart.metadata.name,
      version: chart.metadata.version,
      signedBy: result.signedBy,
      userIds: result.userIds,
      fingerprint: result.fingerprint,
      chartHash: result.chartHash,
    };
    io.stdout(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  io.stdout(verificationLines(result));
  return 0;
}

async function readInput(path: string, shown: string, what: string, hint?: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new ChartshipError(`cannot read ${what}: ${reason}`, { file: shown, hint, code: 'VERIFY_INPUT' });
  }
}
