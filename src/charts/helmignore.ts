import { ChartshipError } from '../model/errors.js';
import { compileGlob, GlobSyntaxError } from './glob.js';

/**
 * `.helmignore` with helm's own semantics (pkg/ignore), which are NOT gitignore's:
 * - the first matching rule ignores; there is no re-inclusion;
 * - `!pat` ignores every path that does NOT match `pat` (and rules after it are still tried for matching ones);
 * - `pat/` applies to directories only (and, negated, ignores every file);
 * - a pattern containing `/` matches the whole relative path (one leading `/` is dropped), any other the base name.
 */
export interface HelmIgnore {
  /**
   * Whether helm leaves this path out of the package: the path itself or one of its parent directories is ignored
   * (helm never descends into an ignored directory). `relPath` is relative to the chart root, `/`-separated.
   */
  ignores(relPath: string, isDir: boolean): boolean;
  /** helm's `Rules.Ignore` for this one path, without looking at its parents (what a directory walk asks). */
  matches(relPath: string, isDir: boolean): boolean;
  /** The rule of the file that makes `matches` true for this path, as written and on which line (none for helm's own). */
  ruleFor(relPath: string, isDir: boolean): { text: string; line: number; negate: boolean } | undefined;
}

interface Rule {
  /** As written (trimmed), and its line in the file (0 for the rules helm adds). */
  text: string;
  line: number;
  negate: boolean;
  dirOnly: boolean;
  /** Match against the whole relative path rather than its base name. */
  wholePath: boolean;
  regex: RegExp;
}

/** helm adds this after the file's own rules: dotfiles in templates/ are never rendered, so never shipped. */
const DEFAULT_RULES = ['templates/.?*'];

export function parseHelmignore(text: string, file = '.helmignore'): HelmIgnore {
  // Most charts of a monorepo share one .helmignore text: read it once (a failure is not kept, so it names its file).
  let parsed = parsedTexts.get(text);
  if (!parsed) {
    parsed = readHelmignore(text, file);
    parsedTexts.set(text, parsed);
  }
  return parsed;
}

/** Matchers hold no state, so one per text serves every chart. */
const parsedTexts = new Map<string, HelmIgnore>();

function readHelmignore(text: string, file: string): HelmIgnore {
  const rules: Rule[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, index) => {
    const rule = parseRule(line, file, index + 1);
    if (rule) rules.push(rule);
  });
  for (const rule of DEFAULT_RULES) rules.push(parseRule(rule, file, 0)!);
  return helmIgnore(rules);
}

/** The rules helm applies to a chart without a .helmignore. */
export function defaultHelmignore(): HelmIgnore {
  return parseHelmignore('');
}

function parseRule(line: string, file: string, lineNumber: number): Rule | undefined {
  let rule = line.trim();
  if (rule === '' || rule.startsWith('#')) return undefined;
  const column = line.indexOf(rule) + 1;
  const fail = (message: string, offset = 0): never => {
    throw new ChartshipError(message, {
      file,
      line: lineNumber,
      column: column + offset,
      code: 'HELMIGNORE_INVALID',
      hint: 'helm patterns follow Go filepath.Match: *, ?, [class], \\ escapes',
    });
  };
  if (rule.includes('**')) fail(`${JSON.stringify(rule)}: double-star (**) is not supported by helm`, rule.indexOf('**'));
  try {
    // helm validates the raw line, `!` and trailing `/` included.
    compileGlob(rule);
  } catch (error) {
    if (error instanceof GlobSyntaxError) fail(`${JSON.stringify(rule)}: bad pattern: ${error.message}`, error.offset);
    throw error;
  }
  let negate = false;
  if (rule.startsWith('!')) {
    negate = true;
    rule = rule.slice(1);
  }
  let dirOnly = false;
  if (rule.endsWith('/')) {
    dirOnly = true;
    rule = rule.slice(0, -1);
  }
  let wholePath = rule.includes('/');
  if (rule.startsWith('/')) {
    wholePath = true;
    rule = rule.slice(1);
  }
  return { text: line.trim(), line: lineNumber, negate, dirOnly, wholePath, regex: compileGlob(rule) };
}

function helmIgnore(rules: Rule[]): HelmIgnore {
  const deciding = (relPath: string, isDir: boolean): Rule | undefined => {
    // The chart root itself is never ignored (helm issue 1776: `.*` would otherwise match ".").
    if (relPath === '' || relPath === '.' || relPath === './') return undefined;
    const base = baseName(relPath);
    for (const rule of rules) {
      const subject = rule.wholePath ? relPath : base;
      if (rule.negate) {
        if (rule.dirOnly && !isDir) return rule;
        if (!rule.regex.test(subject)) return rule;
        continue;
      }
      if (rule.dirOnly && !isDir) continue;
      if (rule.regex.test(subject)) return rule;
    }
    return undefined;
  };
  const matches = (relPath: string, isDir: boolean): boolean => deciding(relPath, isDir) !== undefined;
  const ruleFor = (relPath: string, isDir: boolean) => {
    const rule = deciding(relPath, isDir);
    return rule && rule.line > 0 ? { text: rule.text, line: rule.line, negate: rule.negate } : undefined;
  };
  const ignores = (relPath: string, isDir: boolean): boolean => {
    const parts = relPath.split('/').filter((p) => p !== '' && p !== '.');
    for (let i = 1; i < parts.length; i++) {
      if (matches(parts.slice(0, i).join('/'), true)) return true;
    }
    return matches(relPath, isDir);
  };
  return { ignores, matches, ruleFor };
}

/** Go's filepath.Base: trailing slashes do not count. */
function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return path === '' ? '.' : '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
