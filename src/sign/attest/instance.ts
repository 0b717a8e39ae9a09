import { readFile } from 'node:fs/promises';
import type { Service, TrustedRoot } from '@sigstore/protobuf-specs';
import { ChartshipError } from '../../model/errors.js';
import { loadSigstore } from './libraries.js';

/** Where to sign and how to check the result. */
export interface SigstoreInstance {
  /** `public-good` (Sigstore's), `github` (GitHub's instance for private repositories) or `custom` (a signing config). */
  name: 'public-good' | 'github' | 'custom';
  fulcioUrl: string;
  rekorUrl?: string;
  /** Base URL of an RFC 3161 timestamp authority (`/api/v1/timestamp` is appended, as @sigstore/sign does). */
  tsaUrl?: string;
  /** How a bundle from this instance is verified: its trusted root, from TUF or a file; or not here (`none`, why). */
  trust: TrustSource;
}

export type TrustSource =
  | { kind: 'tuf'; mirrorUrl?: string; rootFile?: string; cacheDir?: string }
  | { kind: 'root'; root: TrustedRoot; file: string }
  | { kind: 'none'; why: string };

export interface InstanceOptions {
  /** `public-good` or `github`, as @actions/attest names them; ignored when a signing config is given. */
  sigstore: 'public-good' | 'github';
  /** A Sigstore SigningConfig file (v0.2): a private or test instance. */
  signingConfigFile?: string;
  /** A Sigstore TrustedRoot file, e.g. from `gh attestation trusted-root`: verify against it instead of TUF. */
  trustedRootFile?: string;
  /** `GITHUB_SERVER_URL`: GitHub's instance lives beside it. */
  serverUrl: string;
}

const PUBLIC_GOOD = { fulcioUrl: 'https://fulcio.sigstore.dev', rekorUrl: 'https://rekor.sigstore.dev' };

/**
 * The instance @actions/attest would use, or the one a signing config names. GitHub's instance (Fulcio and a
 * timestamp authority at fulcio./timestamp.<host>, githubapp.com for github.com) keeps private repositories out of
 * the public transparency log; its trusted root is not distributed by Sigstore's TUF repository, so chartship
 * verifies its bundles only against a trusted root file.
 */
export async function resolveInstance(options: InstanceOptions): Promise<SigstoreInstance> {
  const root = options.trustedRootFile ? await readTrustedRoot(options.trustedRootFile) : undefined;
  if (options.signingConfigFile) {
    if (!root) {
      throw new ChartshipError('a signing config needs the trusted root of the same instance', {
        field: 'sigstore-trusted-root',
        hint: 'pass the instance\'s trusted_root.json as sigstore-trusted-root (--sigstore-trusted-root FILE)',
        code: 'SIGSTORE_CONFIG_INVALID',
      });
    }
    return { name: 'custom', ...(await readSigningConfig(options.signingConfigFile)), trust: root };
  }
  if (options.sigstore === 'public-good') return { name: 'public-good', ...PUBLIC_GOOD, trust: root ?? { kind: 'tuf' } };
  let host = new URL(options.serverUrl).hostname;
  if (host === 'github.com') host = 'githubapp.com';
  return {
    name: 'github',
    fulcioUrl: `https://fulcio.${host}`,
    tsaUrl: `https://timestamp.${host}`,
    trust: root ?? { kind: 'none', why: "GitHub's Sigstore instance publishes its trusted root only to GitHub's own clients: pass it as sigstore-trusted-root (gh attestation trusted-root) to have chartship verify, or verify with gh attestation verify" },
  };
}

export async function readTrustedRoot(file: string): Promise<{ kind: 'root'; root: TrustedRoot; file: string }> {
  const json = await readJson(file, 'trusted root', 'sigstore-trusted-root');
  const root = (await loadSigstore()).TrustedRoot.fromJSON(json);
  if (!String(root.mediaType).startsWith('application/vnd.dev.sigstore.trustedroot') || root.certificateAuthorities.length === 0) {
    throw new ChartshipError('is not a Sigstore trusted root (mediaType application/vnd.dev.sigstore.trustedroot…, with certificate authorities)', {
      file,
      field: 'sigstore-trusted-root',
      code: 'SIGSTORE_CONFIG_INVALID',
    });
  }
  return { kind: 'root', root, file };
}

async function readSigningConfig(file: string): Promise<{ fulcioUrl: string; rekorUrl?: string; tsaUrl?: string }> {
  const config = (await loadSigstore()).SigningConfig.fromJSON(await readJson(file, 'signing config', 'sigstore-signing-config'));
  if (!String(config.mediaType).startsWith('application/vnd.dev.sigstore.signingconfig')) {
    throw new ChartshipError(`is not a Sigstore signing config (mediaType ${JSON.stringify(config.mediaType)})`, { file, field: 'sigstore-signing-config', code: 'SIGSTORE_CONFIG_INVALID' });
  }
  const now = new Date();
  const fulcio = pick(config.caUrls, now);
  if (!fulcio) throw new ChartshipError('names no certificate authority valid now (caUrls)', { file, field: 'sigstore-signing-config', code: 'SIGSTORE_CONFIG_INVALID' });
  const rekor = pick(config.rekorTlogUrls, now);
  const tsa = pick(config.tsaUrls, now);
  if (!rekor && !tsa) {
    throw new ChartshipError('names neither a transparency log nor a timestamp authority valid now', { file, field: 'sigstore-signing-config', code: 'SIGSTORE_CONFIG_INVALID' });
  }
  return {
    fulcioUrl: fulcio,
    ...(rekor ? { rekorUrl: rekor } : {}),
    // The config names the timestamp endpoint; @sigstore/sign wants the base it appends the path to.
    ...(tsa ? { tsaUrl: tsa.replace(/\/api\/v1\/timestamp\/?$/, '') } : {}),
  };
}

/** The service to use: API version 1 (the one these clients speak), valid now, the newest first (as the spec says). */
function pick(services: Service[], now: Date): string | undefined {
  const valid = services.filter((s) => s.majorApiVersion === 1 && (!s.validFor?.start || s.validFor.start <= now) && (!s.validFor?.end || now <= s.validFor.end));
  valid.sort((a, b) => (b.validFor?.start?.getTime() ?? 0) - (a.validFor?.start?.getTime() ?? 0));
  return valid[0]?.url.replace(/\/+$/, '');
}

async function readJson(file: string, what: string, field: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ChartshipError(`cannot read the ${what}: ${code === 'ENOENT' ? 'does not exist' : (error as Error).message}`, { file, field, code: 'SIGSTORE_CONFIG_INVALID' });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ChartshipError(`the ${what} is not JSON`, { file, field, code: 'SIGSTORE_CONFIG_INVALID' });
  }
}
