import { resolve } from 'node:path';
import { enclosingWorkTree } from '../charts/walk.js';
import { CONFIG_FILE, type ChartshipConfig } from '../config/index.js';
import { loadConfig } from '../config/load.js';
import type { CliIO } from './io.js';

/**
 * `.chartship.yaml` as plan and publish read it: the file `--config` names (relative to where the command runs), else
 * the one at the root of the repository `cwd` is in, as the charts are found from there: run from a subdirectory, a
 * job plans and publishes what it would at the root. Outside a repository, `cwd`'s own (the plan then says why not).
 */
export async function repositoryConfig(io: CliIO, cwd: string, configFlag: string | undefined): Promise<ChartshipConfig> {
  if (configFlag) return loadConfig(resolve(io.cwd, configFlag), configFlag, { required: true });
  const root = enclosingWorkTree(resolve(cwd)) ?? cwd;
  return loadConfig(resolve(root, CONFIG_FILE), CONFIG_FILE);
}
