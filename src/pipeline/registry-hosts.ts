import { closest, distance } from 'fastest-levenshtein';
import { ChartshipError } from '../model/errors.js';
import type { HostSettings } from '../oci/options.js';
import { isRegistryHost } from '../oci/reference.js';
import { hostKey } from '../oci/registries/hosts.js';

/**
 * Per-registry settings, one registry host per line, the same shape for logins and TLS:
 *
 *   registry-auth: |                           registry-tls: |
 *     ghcr.io=bot:${{ secrets.GHCR_TOKEN }}      registry.internal:5000=ca-file=/etc/ssl/internal-ca.pem
 *     quay.io=acme+ci:${{ secrets.QUAY }}        localhost:5000=plain-http
 *
 * `HOST=USERNAME:PASSWORD`: the host ends at the first `=` (a host never holds one) and the username at the first
 * `:` after it (Basic authentication forbids a colon in a user-id, RFC 7617), so the password is the rest of the line
 * whatever it holds (`:`, `=`, `#`…); lines are trimmed, blank lines and lines starting with `#` are skipped. Nothing
 * to quote, unlike YAML, where a secret starting with `*`, `&`, `!`, `{` or holding `: ` would break the mapping.
 * A JSON service-account key (Artifact Registry's `_json_key`) spans lines: it may continue on the lines after its
 * `{` until the JSON is complete, or be given on one line as `_json_key_base64`.
 */
const TLS_FLAGS = { 'plain-http': 'plainHttp', 'insecure-skip-tls-verify': 'insecureSkipTlsVerify' } as const;
const TLS_FILES = { 'ca-file': 'caFile', 'cert-file': 'certFile', 'key-file': 'keyFile' } as const;

interface Line {
  number: number;
  text: string;
}

function allLines(text: string): (Line & { raw: string })[] {
  return text.split(/\r?\n/).map((raw, i) => ({ number: i + 1, text: raw.trim(), raw }));
}

const meaningful = (line: Line) => line.text !== '' && !line.text.startsWith('#');

function lines(text: string): Line[] {
  return allLines(text).filter(meaningful);
}

/** `HOST=REST` with the host checked; the messages never quote the line, which may hold a password. */
function splitHost(field: string, line: Line, shape: string): { key: string; host: string; rest: string } {
  const eq = line.text.indexOf('=');
  if (eq < 0) throw new ChartshipError(`line ${line.number} is not ${shape}`, { field, code: 'SETTING_INVALID', hint: `one registry per line, e.g. ghcr.io=${shape.split('=')[1]}` });
  const host = line.text.slice(0, eq).trim().replace(/^oci:\/\//, '');
  if (!isRegistryHost(host)) {
    throw new ChartshipError(`line ${line.number}: what stands before "=" is not a registry host`, { field, code: 'SETTING_INVALID', hint: 'write HOST or HOST:PORT, e.g. ghcr.io or registry.internal:5000' });
  }
  return { key: hostKey(host), host, rest: line.text.slice(eq + 1) };
}

function once(field: string, seen: Map<string, number>, key: string, line: Line): void {
  const first = seen.get(key);
  if (first !== undefined) throw new ChartshipError(`lines ${first} and ${line.number} both name ${key}`, { field, code: 'SETTING_INVALID', hint: 'give each registry host one line' });
  seen.set(key, line.number);
}

/** `registry-auth`: host → username and password. */
export function parseRegistryAuth(text: string, field = 'registry-auth'): Record<string, HostSettings> {
  const hosts: Record<string, HostSettings> = {};
  const seen = new Map<string, number>();
  const all = allLines(text);
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!;
    if (!meaningful(line)) continue;
    const { key, rest } = splitHost(field, line, 'HOST=USERNAME:PASSWORD');
    once(field, seen, key, line);
    const colon = rest.indexOf(':');
    const username = colon < 0 ? '' : rest.slice(0, colon).trim();
    let password = colon < 0 ? '' : rest.slice(colon + 1);
    if (username === '' || password === '') {
      throw new ChartshipError(`line ${line.number} (${key}) needs USERNAME:PASSWORD after "="`, { field, code: 'SETTING_INVALID', hint: `write ${key}=USERNAME:PASSWORD; the password may hold any character` });
    }
    // A JSON key pasted whole continues on the following lines, kept as they are, until it parses.
    if (password.startsWith('{') && !isJson(password)) {
      let j = i + 1;
      for (; j < all.length && !isJson(password); j++) password += `\n${all[j]!.raw}`;
      if (!isJson(password)) {
        throw new ChartshipError(`line ${line.number} (${key}): the password starts a JSON key that never ends`, { field, code: 'SETTING_INVALID', hint: 'paste the whole key, or give it on one line as _json_key_base64' });
      }
      i = j - 1;
    }
    hosts[key] = { username, password };
  }
  return hosts;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** `registry-tls`: host → TLS options, `plain-http`, `insecure-skip-tls-verify`, `ca-file=…`, `cert-file=…`, `key-file=…`, comma-separated. */
export function parseRegistryTls(text: string, field = 'registry-tls'): Record<string, HostSettings> {
  const hosts: Record<string, HostSettings> = {};
  const seen = new Map<string, number>();
  for (const line of lines(text)) {
    const { key, rest } = splitHost(field, line, 'HOST=OPTION[,OPTION…]');
    once(field, seen, key, line);
    const settings: HostSettings = {};
    for (const option of rest.split(',').map((o) => o.trim()).filter(Boolean)) {
      const eq = option.indexOf('=');
      const name = (eq < 0 ? option : option.slice(0, eq)).trim();
      const value = eq < 0 ? undefined : option.slice(eq + 1).trim();
      if (name in TLS_FLAGS && value === undefined) settings[TLS_FLAGS[name as keyof typeof TLS_FLAGS]] = true;
      else if (name in TLS_FILES && value) settings[TLS_FILES[name as keyof typeof TLS_FILES]] = value;
      else {
        throw new ChartshipError(`line ${line.number} (${key}): unknown option ${JSON.stringify(option)}`, {
          field,
          code: 'SETTING_INVALID',
          hint: 'options are plain-http, insecure-skip-tls-verify, ca-file=PATH, cert-file=PATH and key-file=PATH, separated by commas',
        });
      }
    }
    if (Object.keys(settings).length === 0) throw new ChartshipError(`line ${line.number} (${key}) names no option`, { field, code: 'SETTING_INVALID', hint: `e.g. ${key}=ca-file=PATH` });
    if ((settings.certFile === undefined) !== (settings.keyFile === undefined)) {
      throw new ChartshipError(`line ${line.number} (${key}): a client certificate needs both cert-file and key-file`, { field, code: 'SETTING_INVALID' });
    }
    hosts[key] = settings;
  }
  return hosts;
}

/** Both, merged per host. */
export function registryHosts(auth: string, tls: string): Record<string, HostSettings> {
  const merged: Record<string, HostSettings> = {};
  for (const [key, settings] of [...Object.entries(parseRegistryTls(tls)), ...Object.entries(parseRegistryAuth(auth))]) merged[key] = { ...merged[key], ...settings };
  return merged;
}

/** A setting that looks mistyped or was taken otherwise than written: a warning for the front end, on its field. */
export interface SettingNotice {
  field: string;
  message: string;
}

/** At most this many characters apart, a host no target names is taken for a typo of one that does. */
const HOST_TYPO = 2;

/**
 * registry-auth and registry-tls lines for a host no target names that is a character or two from one that does
 * (`ghrc.io` for ghcr.io, `127.0.0.2:5000` for 127.0.0.1:5000): that target goes without its login or TLS setting.
 * Warnings, not failures: such a line may be for a dependency's registry of a like name, and a target without what it
 * needs fails on its own before anything is pushed; the warning names the likely cause first.
 */
export function hostsLikeTargets(auth: string, tls: string, targetHosts: string[]): SettingNotice[] {
  const targets = [...new Set(targetHosts.map(hostKey))];
  if (targets.length === 0) return [];
  const found: SettingNotice[] = [];
  for (const [field, hosts, what] of [
    ['registry-auth', Object.keys(parseRegistryAuth(auth)), 'login'],
    ['registry-tls', Object.keys(parseRegistryTls(tls)), 'TLS setting'],
  ] as const) {
    for (const host of hosts.filter((h) => !targets.includes(h))) {
      const near = closest(host, targets);
      if (distance(host, near) <= HOST_TYPO) found.push({ field, message: `${host} is no target's host (did you mean ${near}?): ${near} gets no ${what} from this line` });
    }
  }
  return found;
}

/** The secrets of a registry-auth text, and what is derived from them (the Basic credential), to mask. */
export function registryAuthSecrets(text: string): string[] {
  let hosts: Record<string, HostSettings>;
  try {
    hosts = parseRegistryAuth(text);
  } catch {
    // Refused later with a message that quotes nothing; each line is masked on its own meanwhile.
    return [];
  }
  return Object.values(hosts).flatMap(({ username = '', password = '' }) => [password, ...password.split('\n').map((l) => l.trim()), Buffer.from(`${username}:${password}`).toString('base64')]).filter((s) => s.length > 3);
}
