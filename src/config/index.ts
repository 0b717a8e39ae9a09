import type { SchemaObject } from 'ajv';
import type { ConfigPath, ConfigPosition } from './document.js';
import { POLICY_SCHEMA, readPolicySection } from './policy.js';
import { readVersioningSection, VERSIONING_SCHEMA } from './versioning.js';

export type { ConfigPath, ConfigPosition } from './document.js';
export { didYouMean, dottedKey, nearMiss } from './keys.js';
export * from './policy.js';
export * from './versioning.js';

/** A `charts:` entry's `match` and where it was written: each should select a chart, as a typo would select none. */
export interface ChartSelector {
  match: string;
  field: string;
  at?: ConfigPosition;
  /** What a glob that selects no chart means for the run (default: its settings apply to none). */
  unmatched?: string;
}

/** Every `charts:` entry of the file's sections. */
export function chartSelectors(config: Pick<ChartshipConfig, 'policy' | 'versioning'>): ChartSelector[] {
  const of = (section: string, entries: { match: string; at?: ConfigPosition }[]) =>
    entries.map((e, i) => ({ match: e.match, field: `${section}.charts[${i}].match`, ...(e.at ? { at: e.at } : {}) }));
  return [...of('versioning', config.versioning.charts), ...of('policy', config.policy.charts)];
}

/** The repository's configuration file, at its root. */
export const CONFIG_FILE = '.chartship.yaml';

/**
 * The sections of .chartship.yaml, each with its own schema and reader. A new section (e.g. `versioning:`) is one
 * more entry here and a module of its own; a key that no section declares is refused.
 */
interface Section<T> {
  schema: SchemaObject;
  read(raw: unknown, locate: (path: ConfigPath) => ConfigPosition | undefined): T;
}

const SECTIONS = {
  policy: { schema: POLICY_SCHEMA, read: readPolicySection } satisfies Section<unknown>,
  versioning: { schema: VERSIONING_SCHEMA, read: readVersioningSection } satisfies Section<unknown>,
};

type Sections = { [K in keyof typeof SECTIONS]: ReturnType<(typeof SECTIONS)[K]['read']> };

export interface ChartshipConfig extends Sections {
  /** The file it was read from, as the user names it; undefined for the defaults. */
  file?: string;
  /** Where a key was written, for errors found after reading (a bad glob, say). */
  locate: (path: ConfigPath) => ConfigPosition | undefined;
}

/** The whole file's schema: its sections', and no other key. */
export const CONFIG_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(Object.entries(SECTIONS).map(([name, section]) => [name, section.schema])),
};

function readSections(raw: Record<string, unknown>, locate: ChartshipConfig['locate']): Sections {
  return Object.fromEntries(Object.entries(SECTIONS).map(([name, section]) => [name, section.read(raw[name], locate)])) as Sections;
}

/** Reads .chartship.yaml text; `file` names it in errors. Throws a ChartshipError with the key, line and column. */
export async function parseConfig(text: string, file: string): Promise<ChartshipConfig> {
  // The YAML reader (the `yaml` package) is read only when there is a file: most repositories have none.
  const { readConfigDocument } = await import('./document.js');
  const doc = await readConfigDocument<Record<string, unknown>>(text, file, CONFIG_SCHEMA);
  return { ...readSections(doc.value, doc.locate), file, locate: doc.locate };
}

/** The configuration of a repository without .chartship.yaml. */
export function defaultConfig(): ChartshipConfig {
  return { ...readSections({}, () => undefined), locate: () => undefined };
}
