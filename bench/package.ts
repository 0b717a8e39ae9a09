/**
 * Packaging throughput: one ~50 MB chart of many files and 200 small charts, packaged with packageChart and, for
 * comparison, with `tar czf` (GNU tar + gzip -6) over the same files in the same run. Prints figures only.
 *
 *   node --import tsx bench/package.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageChart } from '../src/pipeline/package.js';

const SOURCE_DATE = new Date('2024-01-01T00:00:00Z');
const RUNS = 3;

/** Deterministic pseudo-random bytes, so every run measures the same content. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = ['apiVersion', 'kind', 'metadata', 'name', 'labels', 'spec', 'replicas', 'image', 'nginx', 'port', 'value', 'true', 'false', '{{ .Values.x }}', 'resources', 'limits'];

/** YAML-like text (compresses ~5-8x, like real templates), or random bytes (images, binaries) for every 8th file. */
function content(size: number, random: () => number, binary: boolean): Buffer {
  if (binary) return Buffer.from(Array.from({ length: size }, () => Math.floor(random() * 256)));
  const lines: string[] = [];
  let length = 0;
  while (length < size) {
    const depth = Math.floor(random() * 4);
    const line = `${'  '.repeat(depth)}${WORDS[Math.floor(random() * WORDS.length)]}: ${WORDS[Math.floor(random() * WORDS.length)]}-${Math.floor(random() * 1000)}`;
    lines.push(line);
    length += line.length + 1;
  }
  return Buffer.from(lines.join('\n')).subarray(0, size);
}

/** values.yaml must parse (packageChart checks it), unlike the template-like filler. */
function values(lines: number): string {
  return Array.from({ length: lines }, (_, i) => `key${i}: ${WORDS[i % WORDS.length]!.replace(/[{}. ]/g, '')}-${i}\n`).join('');
}

function makeBigChart(dir: string): number {
  const random = rng(42);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: big\nversion: 1.0.0\n');
  writeFileSync(join(dir, 'values.yaml'), values(500));
  let total = 0;
  for (let i = 0; total < 50 * 1024 * 1024; i++) {
    const sub = join(dir, i % 3 === 0 ? 'templates' : 'files', `group-${i % 17}`);
    mkdirSync(sub, { recursive: true });
    // Sizes from 1 KiB to ~385 KiB, and a few at 4 MiB (under helm's 5 MiB limit).
    const size = i % 50 === 49 ? 4 * 1024 * 1024 : Math.floor(1024 + random() * random() * 384 * 1024);
    writeFileSync(join(sub, `file-${i}.${i % 8 === 7 ? 'bin' : 'yaml'}`), content(size, random, i % 8 === 7));
    total += size;
  }
  return total;
}

function makeSmallCharts(root: string, count: number): { dirs: string[]; bytes: number } {
  const random = rng(7);
  const dirs: string[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const dir = join(root, `chart-${i}`);
    mkdirSync(join(dir, 'templates'), { recursive: true });
    const files: Record<string, Buffer> = {
      'Chart.yaml': Buffer.from(`apiVersion: v2\nname: chart-${i}\nversion: 0.${i}.0\ndescription: small chart\n`),
      'values.yaml': Buffer.from(values(60)),
      'templates/deployment.yaml': content(3_000, random, false),
      'templates/service.yaml': content(800, random, false),
      'templates/_helpers.tpl': content(1_500, random, false),
    };
    for (const [name, data] of Object.entries(files)) {
      writeFileSync(join(dir, name), data);
      bytes += data.length;
    }
    dirs.push(dir);
  }
  return { dirs, bytes };
}

async function best(run: () => Promise<void> | void): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    await run();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return fastest;
}

function rate(bytes: number, seconds: number): string {
  return `${(bytes / 1024 / 1024 / seconds).toFixed(1).padStart(7)} MB/s  ${(seconds * 1000).toFixed(0).padStart(6)} ms`;
}

const root = mkdtempSync(join(tmpdir(), 'chartship-bench-'));
try {
  const bigDir = join(root, 'big');
  const bigBytes = makeBigChart(bigDir);
  const out = join(root, 'out');
  mkdirSync(out);

  let archiveSize = 0;
  const ours = await best(async () => {
    archiveSize = (await packageChart(bigDir, { sourceDate: SOURCE_DATE })).archive.length;
  });
  const tar = await best(() => {
    execFileSync('tar', ['czf', join(out, 'big.tgz'), '-C', root, 'big']);
  });
  const tarSize = execFileSync('stat', ['-c', '%s', join(out, 'big.tgz')], { encoding: 'utf8' }).trim();

  console.log(`one chart, ${(bigBytes / 1024 / 1024).toFixed(1)} MB in ${execFileSync('sh', ['-c', `find ${bigDir} -type f | wc -l`], { encoding: 'utf8' }).trim()} files (best of ${RUNS})`);
  console.log(`  packageChart  ${rate(bigBytes, ours)}  archive ${(archiveSize / 1024 / 1024).toFixed(1)} MB`);
  console.log(`  tar czf       ${rate(bigBytes, tar)}  archive ${(Number(tarSize) / 1024 / 1024).toFixed(1)} MB`);
  console.log(`  ratio packageChart / tar czf time: ${(ours / tar).toFixed(2)}x (goal ≤ 1.30x)`);

  const small = makeSmallCharts(join(root, 'small'), 200);
  const seq = await best(async () => {
    for (const dir of small.dirs) await packageChart(dir, { sourceDate: SOURCE_DATE });
  });
  const par = await best(async () => {
    const queue = [...small.dirs];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let dir = queue.shift(); dir; dir = queue.shift()) await packageChart(dir, { sourceDate: SOURCE_DATE });
      }),
    );
  });
  const tarEach = await best(() => {
    for (const [i, dir] of small.dirs.entries()) execFileSync('tar', ['czf', join(out, `small-${i}.tgz`), '-C', join(root, 'small'), dir.slice(dir.lastIndexOf('/') + 1)]);
  });
  const tarAll = await best(() => {
    execFileSync('tar', ['czf', join(out, 'all-small.tgz'), '-C', root, 'small']);
  });
  console.log(`200 small charts, ${(small.bytes / 1024).toFixed(0)} KB in ${small.dirs.length * 5} files (best of ${RUNS})`);
  console.log(`  packageChart, one at a time   ${rate(small.bytes, seq)}  ${(seq / 200 * 1000).toFixed(2)} ms/chart`);
  console.log(`  packageChart, 4 at a time     ${rate(small.bytes, par)}  ${(par / 200 * 1000).toFixed(2)} ms/chart`);
  console.log(`  tar czf per chart (spawned)   ${rate(small.bytes, tarEach)}  ${(tarEach / 200 * 1000).toFixed(2)} ms/chart`);
  console.log(`  tar czf of all 200 at once    ${rate(small.bytes, tarAll)}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
