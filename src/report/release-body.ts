import type { ChartResult, RegistryResult } from '../model/plan.js';
import { releaseProvenance } from './attestation.js';
import { renderChangelog } from './changelog.js';
import { DEFAULT_KEYRING, safeUrl, type ReportContext } from './context.js';
import { RELEASE_LIMIT, code, fitBody, inline, shellWord, table, tableCode } from './markdown.js';
import { footer, helmPullCommand, pullableRegistries } from './results.js';

/** The GitHub release notes of one chart version: changelog, where it was pushed, and how to pull (and verify) it. */
export function renderReleaseBody(result: ChartResult, ctx: ReportContext): string {
  const head = result.previousVersion ? `Changes since ${inline(result.previousVersion, 100)}.\n\n` : '';
  const lines: string[] = [];

  const registries = pullableRegistries(result);
  if (registries.length > 0) {
    lines.push('', '### Install', '', '```sh', ...registries.map((registry) => helmPullCommand(registry, result.version)), '```');
    lines.push(
      '',
      ...table(
        ['Registry', 'Reference', 'Digest'],
        registries.map((registry) => [inline(registry.registry, 300), tableCode(registry.ref, 300), tableCode(registry.digest!, 100)]),
      ),
    );
    if (result.signed) lines.push('', ...verifySection(result, registries, ctx));
    const provenance = releaseProvenance(result);
    if (provenance.length > 0) lines.push('', ...provenance);
  }

  lines.push('', footer('Released', safeUrl(ctx.runUrl)));
  const rest = lines.join('\n');
  // The notes give way, never the install commands and digests after them: the notes are kept in full elsewhere.
  const notes = result.notes ?? renderChangelog(result.changelog, ctx, 3).join('\n');
  const source = result.notes !== undefined ? `${code(`${result.path}/CHANGELOG.md`, 300)} has` : `the commits of ${code(result.path, 300)} have`;
  const note = `> [!NOTE]\n> These notes were cut to fit GitHub's release size limit of ${RELEASE_LIMIT.toLocaleString('en')} characters; ${source} all of them.`;
  return fitBody(`${head}${fitBody(notes, RELEASE_LIMIT - head.length - rest.length - 1, note)}\n${rest}`, RELEASE_LIMIT, note);
}

/**
 * How to check the signature with helm. helm reads a keyring file in the classic format; GnuPG 2.1 and later keep
 * keys in pubring.kbx (helm cannot read it), so the key is exported into a file first, by fingerprint, which is also
 * what a user compares with the key the publisher announces.
 */
function verifySection(result: ChartResult, registries: RegistryResult[], ctx: ReportContext): string[] {
  const keyring = ctx.keyring ?? DEFAULT_KEYRING;
  const fingerprint = result.signer?.fingerprint;
  const signer = result.signer?.userId ? ` by ${inline(result.signer.userId, 200)}` : '';
  const key = fingerprint ? `key \`${fingerprint}\`` : 'the publisher\'s key';
  return [
    '### Verify',
    '',
    `The chart is signed${signer} with ${key}. Get the public key from the publisher (for example a KEYS file in this` +
      ` repository, or \`gpg --recv-keys ${fingerprint ?? 'FINGERPRINT'}\` if they uploaded it to a keyserver) and check that its fingerprint matches.` +
      ' GnuPG 2.1 and later keep keys in `pubring.kbx`, which helm cannot read: export the key to a keyring file, then verify against it:',
    '',
    '```sh',
    `gpg --export ${fingerprint ?? 'FINGERPRINT'} > ${shellWord(keyring)}`,
    ...registries.map((registry) => helmPullCommand(registry, result.version, { keyring })),
    '```',
  ];
}
