import { execFile } from 'node:child_process';
import { ownChild } from '../model/stopped-run.js';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ChartshipError } from '../model/errors.js';
import { redactText } from '../model/redact.js';
import { configNames, helperServerUrl } from './registries/hosts.js';

/**
 * What a registry login yields: a user and password, or a refresh token for the OAuth2 token flow. `source` says
 * where it was found (never the secret), so a refusal can point at what to fix.
 */
export type Credential =
  | { kind: 'basic'; username: string; password: string; source?: string }
  | { kind: 'refresh'; refreshToken: string; source?: string };

export interface CredentialOptions {
  username?: string;
  password?: string;
  /** Replaces helm's default registry config.json. */
  registryConfig?: string;
  env?: NodeJS.ProcessEnv;
}

interface ConfigFile {
  auths?: Record<string, { auth?: string; identitytoken?: string; username?: string; password?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** docker/cli writes this user when the secret is a refresh token (credential helpers, `docker login` with tokens). */
const TOKEN_USER = '<token>';
/** ACR's `az acr login --expose-token` user: the password is an ACR refresh token. */
const NULL_GUID_USER = '00000000-0000-0000-0000-000000000000';
const HELPER_TIMEOUT_MS = 30_000;

/** A user and password as a login gives them: docker's token users mean the password is a refresh token. */
export function fromUserPassword(username: string, password: string, source: string): Credential {
  if (username === TOKEN_USER || username === NULL_GUID_USER) return { kind: 'refresh', refreshToken: password, source };
  return { kind: 'basic', username, password, source };
}

const homeOf = (env: NodeJS.ProcessEnv): string => env['HOME'] || env['USERPROFILE'] || homedir();

/**
 * Where helm keeps its configuration (registry logins, repositories.yaml): `$HELM_CONFIG_HOME`, which CI images set
 * to keep helm's files in the job's directory, else `helm` in the XDG config home (helmpath's order).
 */
export function helmConfigHome(env: NodeJS.ProcessEnv): string {
  return env['HELM_CONFIG_HOME'] || join(env['XDG_CONFIG_HOME'] || join(homeOf(env), '.config'), 'helm');
}

/** Config files in the order helm consults them: its own registry config, then docker's. */
export function configPaths(options: CredentialOptions): string[] {
  const env = options.env ?? process.env;
  const helm = options.registryConfig ?? env['HELM_REGISTRY_CONFIG'] ?? join(helmConfigHome(env), 'registry', 'config.json');
  const docker = join(env['DOCKER_CONFIG'] || join(homeOf(env), '.docker'), 'config.json');
  return [helm, docker];
}

/**
 * Credentials for `host`: explicit ones win; then each config file, where `credHelpers[host]` wins over
 * `credsStore`, which wins over `auths` (a store that knows nothing falls back to `auths`).
 */
export async function resolveCredential(host: string, options: CredentialOptions = {}): Promise<Credential | undefined> {
  if (options.username !== undefined || options.password !== undefined) {
    return fromUserPassword(options.username ?? '', options.password ?? '', 'the username and password given to chartship');
  }
  for (const file of configPaths(options)) {
    const found = await lookupInConfig(file, host, options.env ?? process.env, file === options.registryConfig);
    if (found) return found;
  }
  return undefined;
}

/** Reads one config.json; a missing file is no credential (unless it was named explicitly). */
export async function lookupInConfig(file: string, host: string, env: NodeJS.ProcessEnv, mustExist = false): Promise<Credential | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !mustExist) return undefined;
    throw new ChartshipError(`cannot read registry config: ${(error as Error).message}`, { file, code: 'REGISTRY_CONFIG' });
  }
  let config: ConfigFile;
  try {
    config = JSON.parse(text) as ConfigFile;
  } catch (error) {
    // The parser's message could quote the file's secrets: say only where.
    throw new ChartshipError('registry config is not valid JSON', { file, code: 'REGISTRY_CONFIG', cause: (error as Error).name });
  }
  const names = configNames(host);
  const helper = findByHost(config.credHelpers, names) ?? config.credsStore;
  if (helper) {
    const fromHelper = await runCredentialHelper(helper, helperServerUrl(host), env);
    if (fromHelper) return { ...fromHelper, source: `credential helper docker-credential-${helper} (${file})` };
  }
  const entry = findByHost(config.auths, names);
  if (!entry) return undefined;
  if (entry.identitytoken) return { kind: 'refresh', refreshToken: entry.identitytoken, source: file };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new ChartshipError('is not base64 of "user:password"', { file, field: `auths.${host}.auth`, code: 'REGISTRY_CONFIG' });
    return fromUserPassword(decoded.slice(0, colon), decoded.slice(colon + 1), file);
  }
  if (entry.username !== undefined && entry.password !== undefined) return fromUserPassword(entry.username, entry.password, file);
  return undefined;
}

/**
 * Keys may be written `host`, `https://host` or `https://host/v1/`; Docker Hub's login is found under any of its
 * names (docker/cli files it under `https://index.docker.io/v1/`, other tools under `docker.io` or `index.docker.io`).
 */
function findByHost<T>(map: Record<string, T> | undefined, names: string[]): T | undefined {
  if (!map) return undefined;
  for (const name of names) if (map[name] !== undefined) return map[name];
  for (const [raw, value] of Object.entries(map)) {
    const normalized = raw.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
    if (names.includes(normalized)) return value;
  }
  return undefined;
}

/** Runs `docker-credential-<name> get` without a shell: server URL on stdin, JSON on stdout. */
export function runCredentialHelper(name: string, serverUrl: string, env: NodeJS.ProcessEnv): Promise<Credential | undefined> {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    return Promise.reject(new ChartshipError(`credential helper name ${JSON.stringify(name)} is invalid`, { code: 'CREDENTIAL_HELPER' }));
  }
  const program = `docker-credential-${name}`;
  return new Promise((resolve, reject) => {
    const child = ownChild(execFile(program, ['get'], { env, timeout: HELPER_TIMEOUT_MS, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const out = String(stdout).trim();
      if (error) {
        // The protocol's "not found" answer is a normal miss, not a failure.
        if (/credentials not found/i.test(out + String(stderr))) return resolve(undefined);
        const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found on PATH' : redactText(String(stderr).trim() || out || error.message).slice(0, 200);
        return reject(new ChartshipError(`credential helper ${program} failed: ${reason}`, { code: 'CREDENTIAL_HELPER' }));
      }
      let parsed: { Username?: string; Secret?: string };
      try {
        parsed = JSON.parse(out) as { Username?: string; Secret?: string };
      } catch {
        return reject(new ChartshipError(`credential helper ${program} did not print JSON`, { code: 'CREDENTIAL_HELPER' }));
      }
      if (!parsed.Secret) return resolve(undefined);
      resolve(fromUserPassword(parsed.Username ?? '', parsed.Secret, program));
    }));
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(serverUrl);
  });
}
