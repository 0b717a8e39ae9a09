/**
 * A large chart monorepo for benchmarks, written by one streamed `git fast-import` and kept under .cache/bench/ so
 * that later runs reuse it (the key holds the sizes and the generator's version: change GENERATOR when the content
 * changes).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const GENERATOR = 4;
/** Charts per group directory: git rewrites every tree on a changed path, so no directory may grow with the size. */
const GROUP = 100;
const TYPES = ['feat', 'fix', 'chore', 'docs', 'perf', 'refactor'];
const HELMIGNORE = '# Patterns to ignore when building packages.\n.DS_Store\n.git/\n.gitignore\n*.swp\n*.bak\n*.tmp\n*.orig\n*~\n.project\n.idea/\n*.tmproj\n.vscode/\n';
const EPOCH = 1_700_000_000;

export interface Monorepo {
  dir: string;
  /** The chart glob: charts/g<k>/c<i>. */
  charts: string;
  /** The first commit. */
  root: string;
  /** Whether it was built by this call (false: taken from the cache). */
  built: boolean;
}

/**
 * `charts` charts under charts/g<i/100>/c<i> (every 10th depends on the one before it through file://), `commits` commits
 * each changing one chart (a tenth of them a note under docs/ too, a fiftieth a template), messages in Conventional
 * Commits with a scope now and then, and one release tag per chart at its own commit: a different range per chart.
 */
export async function monorepo(charts: number, commits: number): Promise<Monorepo> {
  const dir = join(import.meta.dirname, '..', '.cache', 'bench', `monorepo-${charts}x${commits}-g${GENERATOR}`);
  const done = `${dir}.complete`;
  let built = false;
  if (!existsSync(done)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    execFileSync('git', ['init', '-q', '-b', 'main', dir]);
    await fastImport(dir, charts, commits);
    execFileSync('git', ['-c', 'core.fsync=none', 'reset', '-q', '--hard', 'main'], { cwd: dir });
    writeFileSync(done, '');
    built = true;
  }
  const root = execFileSync('git', ['rev-list', '--max-parents=0', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
  return { dir, charts: 'charts/*/*', root, built };
}

async function fastImport(dir: string, charts: number, commits: number): Promise<void> {
  const child = spawn('git', ['fast-import', '--quiet'], { cwd: dir, stdio: ['pipe', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import exited with ${code}`))));
  });
  let buffered: string[] = [];
  let size = 0;
  const write = async (text: string) => {
    buffered.push(text);
    size += text.length;
    if (size < 1 << 20) return;
    const chunk = buffered.join('');
    buffered = [];
    size = 0;
    if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once('drain', resolve));
  };
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const file = (path: string, content: string) => write(`M 100644 inline ${path}\n${data(content)}`);
  const header = (mark: number, time: number, message: string, parent?: number) =>
    write(
      `commit refs/heads/main\nmark :${mark}\nauthor Bench <bench@example.com> ${time} +0000\n` +
        `committer Bench <bench@example.com> ${time} +0000\n${data(message)}${parent === undefined ? '' : `from :${parent}\n`}`,
    );
  const at = (c: number) => `charts/g${Math.floor(c / GROUP)}/c${c}`;
  // mulberry32: every chart gets its share of commits (a plain LCG's low bits would leave most charts untouched).
  let seed = 42;
  const random = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n);
  };

  await header(1, EPOCH, 'chore: initial import');
  for (let c = 0; c < charts; c++) {
    const dependency = c % 10 === 9 ? `dependencies:\n  - name: c${c - 1}\n    version: ">=1.0.0"\n    repository: file://../../${at(c - 1).split('/').slice(1).join('/')}\n` : '';
    await file(`${at(c)}/Chart.yaml`, `apiVersion: v2\nname: c${c}\ndescription: chart ${c}\nversion: 1.0.0\nappVersion: "1.0"\n${dependency}`);
    await file(`${at(c)}/.helmignore`, HELMIGNORE);
    await file(`${at(c)}/values.yaml`, 'replicas: 1\n');
    await file(`${at(c)}/templates/deployment.yaml`, `kind: Deployment\nmetadata:\n  name: c${c}\n`);
  }
  await write('\n');
  for (let i = 2; i <= commits; i++) {
    const chart = random(charts);
    const type = TYPES[random(TYPES.length)];
    const scoped = random(4) === 0 ? `(c${random(charts)})` : '';
    await header(i, EPOCH + i * 60, `${type}${scoped}: change ${i} (#${i})\n\nDetails of change ${i}.\n`, i - 1);
    await file(`${at(chart)}/values.yaml`, `replicas: ${i}\n`);
    if (random(50) === 0) await file(`${at(chart)}/templates/deployment.yaml`, `kind: Deployment\nmetadata:\n  name: c${chart}-${i}\n`);
    if (random(10) === 0) await file(`docs/notes-${i % 50}.md`, `note ${i}\n`);
    await write('\n');
  }
  // Each chart's release tag at its own commit: the hardest case, a different range per chart.
  for (let c = 0; c < charts; c++) await write(`reset refs/tags/c${c}-1.0.0\nfrom :${1 + ((c * 7919) % (commits - 1))}\n\n`);
  child.stdin.end(buffered.join(''));
  await exited;
}
