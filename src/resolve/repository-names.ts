import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parse } from 'yaml';
import { ChartshipError } from '../model/errors.js';
import { helmConfigHome } from '../oci/credentials.js';

/** An entry of helm's repositories.yaml (repo.Entry), as `helm repo add` writes it. */
export interface RepositoryEntry {
  name: string;
  url: string;
  username: string;
  password: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  insecureSkipTlsVerify: boolean;
  passCredentialsAll: boolean;
  /** The repositories.yaml it was read from. */
  file: string;
}

/** helm's repositories.yaml: `$HELM_REPOSITORY_CONFIG`, else `helm/repositories.yaml` in the XDG config home. */
export function repositoriesFile(env: NodeJS.ProcessEnv): string {
  return env['HELM_REPOSITORY_CONFIG'] || join(helmConfigHome(env), 'repositories.yaml');
}

/** helm's repositories.yaml as read once: where it is, whether it is there, and its entries. */
export interface Repositories {
  file: string;
  missing: boolean;
  entries: RepositoryEntry[];
}

export async function readRepositories(env: NodeJS.ProcessEnv): Promise<Repositories> {
  const file = repositoriesFile(env);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  let entries: unknown;
  try {
    entries = text === undefined ? undefined : (parse(text) as { repositories?: unknown } | null)?.repositories;
  } catch (error) {
    throw new ChartshipError(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, { file, code: 'REPOSITORIES_INVALID' });
  }
  const string = (value: unknown) => (typeof value === 'string' ? value : '');
  const list = Array.isArray(entries) ? (entries as Record<string, unknown>[]).filter((e) => typeof e === 'object' && e !== null) : [];
  return {
    file,
    missing: text === undefined,
    entries: list.map((e) => ({
      name: string(e['name']),
      url: string(e['url']),
      username: string(e['username']),
      password: string(e['password']),
      caFile: string(e['caFile']),
      certFile: string(e['certFile']),
      keyFile: string(e['keyFile']),
      insecureSkipTlsVerify: e['insecure_skip_tls_verify'] === true,
      passCredentialsAll: e['pass_credentials_all'] === true,
      file,
    })),
  };
}

/**
 * The repository written by its `helm repo add` name (`@name` or `alias:name`), read from the same repositories.yaml
 * `helm dependency build` reads, so a CI step that adds the repository serves chartship too.
 */
export function namedRepository(repository: string, { file, missing, entries }: Repositories, where: { file: string; field: string }): RepositoryEntry {
  const name = repository.startsWith('@') ? repository.slice(1) : repository.slice('alias:'.length);
  const found = entries.find((e) => e.name === name);
  if (!found || found.url === '') {
    throw new ChartshipError(`no repository named ${JSON.stringify(name)} in ${file}${missing ? ' (no such file)' : ''}`, {
      ...where,
      code: 'DEPENDENCY_INVALID',
      hint: `add it as helm dependency build needs it (helm repo add ${name} URL), or write the repository's URL in place of ${JSON.stringify(repository)}`,
    });
  }
  return found;
}

/**
 * The repositories.yaml entry `helm dependency build` takes a dependency's credentials and TLS settings from: the
 * first whose URL is the dependency's, compared as helm's urlutil.Equal compares them (the path cleaned, so a
 * trailing slash does not matter). None: the repository is read anonymously, as helm reads it.
 */
export function repositoryEntry(url: string, { entries }: Repositories): RepositoryEntry | undefined {
  return entries.find((e) => sameRepositoryUrl(e.url, url));
}

function sameRepositoryUrl(a: string, b: string): boolean {
  const normal = (text: string) => {
    try {
      const url = new URL(text);
      url.pathname = posix.normalize(url.pathname).replace(/(.)\/+$/, '$1');
      return url.toString();
    } catch {
      return undefined;
    }
  };
  const [x, y] = [normal(a), normal(b)];
  return x === undefined || y === undefined ? posix.normalize(a) === posix.normalize(b) : x === y;
}
