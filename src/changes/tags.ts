import { compareHelmVersions, parseHelmVersion } from '../model/helm-semver.js';
import { ChartshipError } from '../model/errors.js';
import type { TagRef } from './refs.js';

export const DEFAULT_TAG_TEMPLATE = '{name}-{version}';

export interface ReleaseTag {
  tag: string;
  commit: string;
  version: string;
}

interface TemplateParts {
  before: string;
  between: string;
  after: string;
  nameFirst: boolean;
  /** `v{version}`: a repository of one chart may tag its releases without the chart's name. */
  named: boolean;
}

function parseTemplate(template: string): TemplateParts {
  const name = template.indexOf('{name}');
  const version = template.indexOf('{version}');
  if (version === -1 || template.indexOf('{name}', name + 1) !== -1 || template.indexOf('{version}', version + 1) !== -1) {
    throw new ChartshipError(`tag template ${JSON.stringify(template)} must contain {version} once, and {name} at most once`, {
      field: 'release-tag-template',
      code: 'CONFIG_INVALID',
      hint: `e.g. ${DEFAULT_TAG_TEMPLATE}, {name}-v{version}, or v{version} for a repository of one chart`,
    });
  }
  if (name === -1) return { before: template.slice(0, version), between: '', after: template.slice(version + 9), nameFirst: false, named: false };
  const [first, firstLen, second, secondLen] = name < version ? [name, 6, version, 9] : [version, 9, name, 6];
  if (second === first + firstLen) {
    throw new ChartshipError(`tag template ${JSON.stringify(template)} needs a separator between {name} and {version}`, {
      field: 'release-tag-template',
      code: 'CONFIG_INVALID',
      hint: `e.g. ${DEFAULT_TAG_TEMPLATE}`,
    });
  }
  return {
    before: template.slice(0, first),
    between: template.slice(first + firstLen, second),
    after: template.slice(second + secondLen),
    nameFirst: name < version,
    named: true,
  };
}

export function renderTag(template: string, name: string, version: string): string {
  parseTemplate(template);
  return template.replace('{name}', name).replace('{version}', version);
}

/**
 * The newest release tag of each chart. A tag may split several ways (`my-app-1.0.0-rc.1`), so every split is tried
 * and kept only when the name is a known chart and the rest a strict SemVer version.
 */
export function latestReleaseTags(tags: TagRef[], template: string, chartNames: Iterable<string>): Map<string, ReleaseTag> {
  const parts = parseTemplate(template);
  const names = new Set(chartNames);
  // Without {name} a tag cannot say which chart it released: that is only clear when there is one.
  const only = parts.named ? undefined : [...names];
  if (only && only.length > 1) {
    throw new ChartshipError(`tag template ${JSON.stringify(template)} names no chart, and ${only.length} charts are selected: their release tags could not be told apart`, {
      field: 'release-tag-template',
      code: 'CONFIG_INVALID',
      hint: `add {name} (e.g. {name}-${template}), or select the one chart it is for`,
    });
  }
  const latest = new Map<string, ReleaseTag & { parsed: NonNullable<ReturnType<typeof parseHelmVersion>> }>();
  for (const tag of tags) {
    const t = tag.name;
    if (!t.startsWith(parts.before) || !t.endsWith(parts.after) || t.length < parts.before.length + parts.after.length) continue;
    const middle = t.slice(parts.before.length, t.length - parts.after.length);
    // Named: every place the separator occurs is a split to try. Unnamed: the whole middle is the version, of the one chart.
    const splits = only ? (only.length === 1 ? [[only[0]!, middle] as const] : []) : namedSplits(middle, parts);
    for (const [name, version] of splits) {
      // A chart version helm accepts (`v0.1.0` too) may have been released under its own text; one without all
      // three numbers (`v2`) is more likely some other tag.
      const parsed = names.has(name) && /^v?\d+\.\d+\.\d+/.test(version) ? parseHelmVersion(version) : undefined;
      if (!parsed) continue;
      const current = latest.get(name);
      if (!current || compareHelmVersions(parsed, current.parsed) > 0) latest.set(name, { tag: t, commit: tag.commit, version, parsed });
      break;
    }
  }
  return new Map([...latest].map(([name, { tag, commit, version }]) => [name, { tag, commit, version }]));
}

/** How chart repositories commonly tag releases: chart-releaser's (the default), bitnami's, and their `v` variants. */
const COMMON_TEMPLATES = [DEFAULT_TAG_TEMPLATE, '{name}/{version}', '{name}-v{version}', '{name}/v{version}', '{name}@{version}', '{name}_{version}'];

/**
 * When no tag reads as a release under `template`: a common template some tags do read as, with one of them. Without
 * it, every chart of a repository tagged another way is planned as never released, and the plan does not say why.
 */
export function otherTagTemplate(tags: TagRef[], template: string, chartNames: string[]): { template: string; example: string } | undefined {
  for (const other of COMMON_TEMPLATES.filter((t) => t !== template)) {
    const [first] = latestReleaseTags(tags, other, chartNames).values();
    if (first) return { template: other, example: first.tag };
  }
  return undefined;
}

/** The (name, version) readings of a tag's middle, at each place its separator occurs. */
function namedSplits(middle: string, parts: TemplateParts): (readonly [string, string])[] {
  const splits: (readonly [string, string])[] = [];
  for (let at = middle.indexOf(parts.between); at !== -1; at = middle.indexOf(parts.between, at + 1)) {
    const left = middle.slice(0, at);
    const right = middle.slice(at + parts.between.length);
    splits.push(parts.nameFirst ? [left, right] : [right, left]);
  }
  return splits;
}
