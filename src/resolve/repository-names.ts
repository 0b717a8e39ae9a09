import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ChartshipError } from '../model/errors.js';
import { helmConfigHome } from '../oci/credentials.js';

/** helm's repositories.yaml: `$HELM_REPOSITORY_CONFIG`, else `helm/repositories.yaml` in the XDG config home. */
export function repositoriesFile(env: NodeJS.ProcessEnv): string {
  return env['HELM_REPOSITORY_CONFIG'] || join(helmConfigHome(env), 'repositories.yaml');
}

/**
 * The URL of a repository written by its `helm repo add` name (`@name` or `alias:name`), read from the same
 * repositories.yaml `helm dependency build` reads, so a CI step that adds the repository serves chartship too.
 */
export async function namedRepository(repository: string, env: NodeJS.ProcessEnv, where: { file: string; field: string }): Promise<string> {
  const name = repository.startsWith('@') ? repository.slice(1) : repository.slice('alias:'.length);
  const file = repositoriesFile(env);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  let entries: unknown;
  try {
    entries = text === undefined ? undefined : (parse(text) as { repositories?: unknown } | null)?.repositories;
  } catch (error) {
    throw new ChartshipError(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, { file, code: 'REPOSITORIES_INVALID' });
  }
  const found = Array.isArray(entries) ? (entries as { name?: unknown; url?: unknown }[]).find((e) => e?.name === name) : undefined;
  if (typeof found?.url !== 'string' || found.url === '') {
    throw new ChartshipError(`no repository named ${JSON.stringify(name)} in ${file}${text === undefined ? ' (no such file)' : ''}`, {
      ...where,
      code: 'DEPENDENCY_INVALID',
      hint: `add it as helm dependency build needs it (helm repo add ${name} URL), or write the repository's URL in place of ${JSON.stringify(repository)}`,
    });
  }
  return found.url;
}
