import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { goThreads } from '../helpers/go-threads.js';

const run = promisify(execFile);

/** `skopeo inspect --raw <image>` with extra flags; returns the manifest bytes exactly as served. */
export async function skopeoRaw(image: string, flags: string[] = []): Promise<Buffer> {
  // skopeo may read ~/.config/containers and auth files: an empty home keeps the tester's setup out.
  const home = mkdtempSync(join(tmpdir(), 'chartship-skopeo-home-'));
  try {
    const { stdout } = await run('skopeo', ['inspect', '--raw', ...flags, image], {
      encoding: 'buffer',
      env: { PATH: process.env['PATH'], HOME: home, XDG_RUNTIME_DIR: home, ...goThreads() },
      timeout: 60_000,
    });
    return stdout;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
