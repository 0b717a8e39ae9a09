import { ChartshipError } from '../model/errors.js';

/** One path component of a repository name (OCI distribution spec). */
const COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const COMPONENT_RE = new RegExp(`^${COMPONENT}$`);
const REPOSITORY_RE = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG_RE = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
/** host, IPv4 or [IPv6], optional port: what may precede the first `/` of a reference. */
const HOST_RE = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]{1,5})?$/;
/** distribution refuses longer names (host + repository), so fail before uploading anything. */
const MAX_NAME_LENGTH = 255;

export interface RegistryLocation {
  /** `host[:port]` exactly as written (helm prints it back this way). */
  host: string;
  /** Repository prefix without leading/trailing `/`; may be empty. */
  namespace: string;
}

/** `host`, `host:port`, an IPv4 address or `[IPv6]`, as may precede the first `/` of a reference. */
export function isRegistryHost(text: string): boolean {
  return HOST_RE.test(text);
}

/** Parses `oci://host[:port][/namespace]`. */
export function parseOciTarget(spec: string): RegistryLocation {
  // Never echo what stands before an `@` in the authority, with oci:// or without: it is a password (or token) more
  // often than not.
  if (credentialsInReference(spec).length > 0) {
    throw new ChartshipError(`${maskCredentials(spec)} has credentials in it; a registry reference never carries them`, {
      code: 'TARGET_CREDENTIALS',
      field: 'registry',
      hint: 'remove USER:PASSWORD@ and pass them as credentials: the username and password inputs, --username with --password-stdin, or CHARTSHIP_USERNAME and CHARTSHIP_PASSWORD',
    });
  }
  const match = /^oci:\/\/([^/]+)(?:\/(.*))?$/.exec(spec);
  if (!match) {
    // `ghcr.io/acme/charts` or `https://ghcr.io/acme/charts`: a registry path written without oci://.
    const path = spec.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
    const host = path.split('/')[0] ?? '';
    const registryPath = !spec.startsWith('oci-layout:') && HOST_RE.test(host) && (/[.:]/.test(host) || host === 'localhost');
    throw new ChartshipError(`${JSON.stringify(spec)} is not an OCI target`, {
      code: 'TARGET_INVALID',
      hint: registryPath ? `write oci://${path.replace(/\/+$/, '')}` : 'write oci://HOST[:PORT]/NAMESPACE or oci-layout:DIR',
    });
  }
  const host = match[1] ?? '';
  const namespace = (match[2] ?? '').replace(/\/+$/, '');
  if (!HOST_RE.test(host)) {
    throw new ChartshipError(`${JSON.stringify(host)} is not a registry host`, { code: 'TARGET_INVALID', hint: 'write HOST or HOST:PORT' });
  }
  const port = /:(\d+)$/.exec(host)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    throw new ChartshipError(`${spec}: port ${port} is out of range`, { code: 'TARGET_INVALID', field: 'registry', hint: 'a port is a number from 1 to 65535' });
  }
  if (namespace !== '' && !REPOSITORY_RE.test(namespace)) {
    // The usual cause is `${{ github.repository_owner }}` with capitals: registries only take the lowercase form.
    const lower = namespace.toLowerCase();
    throw new ChartshipError(`namespace ${JSON.stringify(namespace)} is not a valid repository path`, {
      code: 'TARGET_INVALID',
      field: 'registry',
      hint: REPOSITORY_RE.test(lower)
        ? `repository paths are lowercase: write oci://${host}/${lower}`
        : 'use lowercase letters, digits and single separators (., _, __, -) between "/"',
    });
  }
  return { host, namespace };
}

/** What stands before the `@` of a reference's authority, after its scheme if it has one (`bob:PW@ghcr.io/acme` too). */
const USERINFO = /^((?:[a-z][a-z0-9+.-]*:\/\/)?)([^/@]*)@/i;

/**
 * `oci://HOST/NAMESPACE` with the namespace in lowercase, when capitals are all that keep it from being a repository
 * path; undefined otherwise. The capitals come from `${{ github.repository_owner }}`, which a workflow cannot lowercase
 * (expressions have no such function) and registries never take, so lowercase is the only thing such a target can mean.
 */
export function lowercasedTarget(spec: string): string | undefined {
  const match = /^oci:\/\/([^/@]+)\/(.*[A-Z].*)$/.exec(spec);
  if (!match) return undefined;
  const namespace = match[2]!.replace(/\/+$/, '').toLowerCase();
  return REPOSITORY_RE.test(namespace) ? `oci://${match[1]!}/${namespace}` : undefined;
}

/** `oci://user:***@host/ns`: the reference with any password in its authority replaced. */
export function maskCredentials(spec: string): string {
  return spec.replace(USERINFO, (_, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon === -1 ? '***' : `${userinfo.slice(0, colon)}:***`}@`;
  });
}

/** The secrets written into a reference's authority (`oci://user:PASSWORD@host`), raw and percent-decoded. */
export function credentialsInReference(spec: string): string[] {
  // A layout's directory may hold an `@` (oci-layout:out@v2); it has no authority.
  const userinfo = spec.startsWith('oci-layout:') ? undefined : USERINFO.exec(spec)?.[2];
  if (userinfo === undefined) return [];
  const colon = userinfo.indexOf(':');
  // Without a colon the whole userinfo may be a token.
  const secret = colon === -1 ? userinfo : userinfo.slice(colon + 1);
  let decoded = secret;
  try {
    decoded = decodeURIComponent(secret);
  } catch {
    // Not valid percent-encoding: the raw text is the secret.
  }
  return [...new Set([secret, decoded, userinfo])].filter((s) => s !== '');
}

/** Why `name` cannot be a repository path component, or undefined when it can. */
export function chartNameProblem(name: string): string | undefined {
  if (COMPONENT_RE.test(name)) return undefined;
  if (/[A-Z]/.test(name)) return 'OCI repository names must be lowercase';
  return 'OCI repository names allow only lowercase letters, digits and single ".", "_", "__" or "-" runs between them';
}

export function repositoryFor(location: RegistryLocation, chartName: string): string {
  const problem = chartNameProblem(chartName);
  if (problem) {
    throw new ChartshipError(`chart name ${JSON.stringify(chartName)} cannot be pushed to an OCI registry`, {
      field: 'name',
      code: 'REPOSITORY_INVALID',
      hint: problem,
    });
  }
  const repository = location.namespace ? `${location.namespace}/${chartName}` : chartName;
  if (location.host.length + 1 + repository.length > MAX_NAME_LENGTH) {
    throw new ChartshipError(`${location.host}/${repository} is longer than ${MAX_NAME_LENGTH} characters`, {
      code: 'REPOSITORY_INVALID',
    });
  }
  return repository;
}

export function isRepository(name: string): boolean {
  return REPOSITORY_RE.test(name);
}

/** A tag as the OCI distribution spec allows it: up to 128 letters, digits, `.`, `_` and `-`, not starting with `.` or `-`. */
export function isTag(tag: string): boolean {
  return TAG_RE.test(tag);
}
