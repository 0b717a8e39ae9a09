import type { TargetOptions } from '../oci/index.js';
import { ClassicRepository } from './classic-repository.js';
import { namedRepository, readRepositories, repositoryEntry, repositoriesFile, type Repositories, type RepositoryEntry } from './repository-names.js';

/**
 * The https:// chart repositories `helm repo add` gave credentials or TLS settings, reached with them as `helm
 * dependency build` reaches them: one client per repositories.yaml entry, kept while a chart's dependencies resolve.
 * A repository helm has no such settings for is read anonymously through the run's downloader instead.
 */
export class RepositoryAccess {
  readonly #env: NodeJS.ProcessEnv;
  readonly #options: TargetOptions;
  readonly #clients = new Map<string, ClassicRepository>();
  /** repositories.yaml, read once for every dependency of the chart, when the first one needs it. */
  #repositories: Promise<Repositories> | undefined;

  constructor(options: TargetOptions = {}) {
    this.#env = options.env ?? process.env;
    this.#options = options;
  }

  #read(): Promise<Repositories> {
    return (this.#repositories ??= readRepositories(this.#env));
  }

  /** The URL `helm repo add` gave a repository written by its name (`@name`, `alias:name`). */
  async named(repository: string, where: { file: string; field: string }): Promise<string> {
    return namedRepository(repository, await this.#read(), where).url;
  }

  /** The entry of repositories.yaml for a dependency's repository URL, and its client when it has settings to apply. */
  async of(url: string): Promise<{ entry?: RepositoryEntry; client?: ClassicRepository }> {
    const entry = repositoryEntry(url, await this.#read());
    if (!entry) return {};
    const credentials = entry.username !== '' && entry.password !== '';
    if (!credentials && !entry.caFile && !entry.certFile && !entry.keyFile && !entry.insecureSkipTlsVerify) return { entry };
    const key = JSON.stringify(entry);
    let client = this.#clients.get(key);
    if (!client) {
      // helm sends Basic credentials only when it has both halves.
      client = new ClassicRepository(entry.url, {
        ...(credentials ? { username: entry.username, password: entry.password } : {}),
        caFile: entry.caFile || undefined,
        certFile: entry.certFile || undefined,
        keyFile: entry.keyFile || undefined,
        insecureSkipTlsVerify: entry.insecureSkipTlsVerify,
        passCredentialsAll: entry.passCredentialsAll,
        basicUpFront: true,
        credentialSource: `repository ${JSON.stringify(entry.name)} in ${entry.file}`,
        credentialHint: credentialHint(url, entry, this.#env),
        env: this.#env,
        clock: this.#options.clock,
        retry: this.#options.retry,
        timeouts: this.#options.timeouts,
        onSecret: this.#options.onSecret,
      });
      this.#clients.set(key, client);
    }
    return { entry, client };
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clients.values()].map((c) => c.close()));
  }
}

/** How to give a private chart repository's credentials: as helm dependency build takes them, with helm repo add. */
export function credentialHint(url: string, entry: RepositoryEntry | undefined, env: NodeJS.ProcessEnv): string {
  const add = `helm repo add ${entry?.name || 'NAME'} ${entry?.url || url}${entry ? ' --force-update' : ''} --username USER --password-stdin`;
  const given = entry && entry.username !== '' && entry.password !== '';
  return `${given ? `check the credentials of repository ${JSON.stringify(entry.name)}, or add it again` : 'give the repository credentials as helm dependency build takes them'}: ${add} (chartship reads the same ${entry?.file ?? repositoriesFile(env)}; HELM_REPOSITORY_CONFIG names another)`;
}
