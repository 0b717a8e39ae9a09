import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Fixed identities and dates so SHAs are the same on every run and machine. */
const EPOCH = Date.UTC(2024, 0, 1) / 1000;

export interface TestRepo {
  dir: string;
  git(...args: string[]): string;
  write(path: string, content: string): void;
  read(path: string): string;
  remove(path: string): void;
  /** Stages everything and commits; returns the new SHA. */
  commit(message: string, files?: Record<string, string | null>): string;
  /**
   * Many commits at once, each as `commit()` would make it (same trees, identities, dates and so SHAs), written by
   * one `git fast-import` instead of three processes per commit. The work tree must be clean; it ends at the last
   * commit. Returns the new SHAs in order.
   */
  commits(list: { message: string; files?: Record<string, string | null> }[]): string[];
  tag(name: string, rev?: string): void;
  /**
   * Makes a bare repository at `path` this one's `origin` and pushes main there (what a CI checkout pushes back to);
   * returns git run in that origin, to read what was pushed.
   */
  addOrigin(path: string): (...args: string[]) => string;
  cleanup(): void;
}

export function createRepo(prefix = 'chartship-git-'): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return openRepo(dir, true);
}

/** A repository in an existing directory (e.g. a clone). */
export function openRepo(dir: string, init = false): TestRepo {
  let tick = 0;
  // Copied once: reading process.env goes to the C library variable by variable, half a millisecond per git run.
  const base = {
    ...process.env,
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Test Committer',
    GIT_COMMITTER_EMAIL: 'committer@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
  const env = () => {
    const date = `${EPOCH + tick * 60} +0000`;
    return { ...base, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  };
  const git = (...args: string[]) =>
    // No auto-maintenance: git would spawn `git maintenance run --auto` after every commit, for nothing in a fixture.
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', '-c', 'maintenance.auto=false', ...args], {
      cwd: dir,
      env: env(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  if (init) git('init', '-q', '-b', 'main');
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  const remove = (path: string) => rmSync(join(dir, path), { recursive: true, force: true });
  /**
   * `git rev-parse HEAD` without a process: the branch HEAD names, from its loose ref, which `git commit` has just
   * written (and which git reads before packed-refs). Anything else (a packed ref, another ref store) asks git.
   */
  const head = () => {
    try {
      const named = readFileSync(join(dir, '.git', 'HEAD'), 'utf8').trim();
      const sha = named.startsWith('ref: refs/') ? readFileSync(join(dir, '.git', named.slice('ref: '.length)), 'utf8').trim() : named;
      if (/^[0-9a-f]{40}$/.test(sha)) return sha;
    } catch {
      // not a loose ref in a .git directory
    }
    return git('rev-parse', 'HEAD');
  };
  return {
    dir,
    git,
    write,
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    remove,
    commit(message, files = {}) {
      for (const [path, content] of Object.entries(files)) {
        if (content === null) remove(path);
        else write(path, content);
      }
      tick++;
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      return head();
    },
    commits(list) {
      if (git('status', '--porcelain') !== '') throw new Error(`commits() needs a clean work tree in ${dir}`);
      const branch = git('symbolic-ref', 'HEAD');
      let parent = '';
      try {
        parent = git('rev-parse', '--verify', '-q', 'HEAD');
      } catch {
        // An empty repository: the first commit is a root commit.
      }
      const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
      const stream = list.map(({ message, files = {} }, i) => {
        tick++;
        const { GIT_AUTHOR_NAME, GIT_AUTHOR_EMAIL, GIT_AUTHOR_DATE, GIT_COMMITTER_NAME, GIT_COMMITTER_EMAIL, GIT_COMMITTER_DATE } = env();
        const changes = Object.entries(files).map(([path, content]) => (content === null ? `D ${path}\n` : `M 100644 inline ${path}\n${data(content)}`));
        return [
          `commit ${branch}\nmark :${i + 1}\n`,
          `author ${GIT_AUTHOR_NAME} <${GIT_AUTHOR_EMAIL}> ${GIT_AUTHOR_DATE}\n`,
          `committer ${GIT_COMMITTER_NAME} <${GIT_COMMITTER_EMAIL}> ${GIT_COMMITTER_DATE}\n`,
          // `git commit -m` stores the message with one trailing newline.
          data(`${message.replace(/\s+$/, '')}\n`),
          i === 0 && parent ? `from ${parent}\n` : '',
          ...changes,
          '\n',
        ].join('');
      });
      const marks = join(mkdtempSync(join(tmpdir(), 'chartship-marks-')), 'marks');
      try {
        execFileSync('git', ['fast-import', '--quiet', `--export-marks=${marks}`], { cwd: dir, env: env(), input: stream.join(''), stdio: ['pipe', 'ignore', 'pipe'] });
        git('reset', '-q', '--hard');
        const byMark = new Map(readFileSync(marks, 'utf8').trim().split('\n').map((line) => line.split(' ') as [string, string]));
        return list.map((_, i) => byMark.get(`:${i + 1}`)!);
      } finally {
        rmSync(dirname(marks), { recursive: true, force: true });
      }
    },
    tag(name, rev = 'HEAD') {
      git('tag', name, rev);
    },
    addOrigin(path) {
      execFileSync('git', ['init', '-q', '--bare', '-b', 'main', path]);
      git('remote', 'add', 'origin', path);
      git('push', '-q', 'origin', 'main');
      return (...args) => execFileSync('git', ['--git-dir', path, ...args], { encoding: 'utf8' }).trim();
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function chartYaml(name: string, version: string, extra = ''): string {
  return `apiVersion: v2\nname: ${name}\ndescription: test chart ${name}\ntype: application\nversion: ${version}\nappVersion: "1.0.0"\n${extra}`;
}

/** A minimal chart: Chart.yaml, values and one template. */
export function chartFiles(dir: string, name: string, version: string, extra = ''): Record<string, string> {
  return {
    [`${dir}/Chart.yaml`]: chartYaml(name, version, extra),
    [`${dir}/values.yaml`]: `replicas: 1\n`,
    [`${dir}/templates/cm.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`,
  };
}

/**
 * A `git` in front of the real one that logs each call's arguments: put `bin` first on a product's PATH, and `calls()`
 * lists what it ran (the `-c` options chartship passes first left in). Calls of a `held` subcommand wait `seconds`
 * before running and log `done <arguments>` after, unless chartship ends them first (SIGTERM ends the wait too).
 */
export function gitCallLog(dir: string, options: { held?: string[]; seconds?: number } = {}): { bin: string; calls: () => string[]; endHeld: () => void } {
  const bin = join(dir, 'git-call-log');
  const log = join(bin, 'calls');
  // A held call outlives a product ended by a signal: the test ends it by the PID it wrote.
  const pids = join(bin, 'held-pids');
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  mkdirSync(bin, { recursive: true });
  const held = (options.held ?? []).map((command) => `*" ${command} "*`).join('|');
  const hold = held
    ? [`case " $* " in ${held})`, `  echo $$ >> '${pids}'`, `  trap 'kill $wait 2>/dev/null; exit 143' TERM`, `  sleep ${options.seconds ?? 20} & wait=$!`, '  wait $wait', `  '${realGit}' "$@"; code=$?`, `  printf 'done %s\\n' "$*" >> '${log}'`, '  exit $code;;', 'esac']
    : [];
  writeFileSync(join(bin, 'git'), ['#!/bin/sh', `printf '%s\\n' "$*" >> '${log}'`, ...hold, `exec '${realGit}' "$@"`, ''].join('\n'), { mode: 0o755 });
  const endHeld = () => {
    for (const pid of existsSync(pids) ? readFileSync(pids, 'utf8').trim().split('\n').map(Number) : []) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Done already.
      }
    }
  };
  return { bin, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []), endHeld };
}
