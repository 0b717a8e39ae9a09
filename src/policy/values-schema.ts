import type { Ajv, AnySchemaObject, ErrorObject } from 'ajv';
import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import { findJsonError, lineColumn } from '../charts/json-check.js';
import { readValuesFile, type ValuesFile } from '../charts/values.js';
import { ChartshipError } from '../model/errors.js';
import { rel, type PolicyChart, type PolicyContext, type RuleOutcome, type Spot } from './types.js';

/**
 * `values-schema`. Which JSON Schema dialect a values.schema.json is read in depends on the helm major (checked with
 * helm 3.17.3 and 4.1.4): helm 3 validates with gojsonschema, which knows drafts 4, 6 and 7 and reads any other
 * `$schema` (2019-09, 2020-12) as draft-07, ignoring keywords it does not know (`prefixItems`); helm 4 validates with
 * santhosh-tekuri/jsonschema, which honours `$schema` (drafts 4, 6, 7, 2019-09, 2020-12), reads a schema without one
 * as 2020-12 (so a draft-07 tuple `items: [...]` is refused there), reads an unknown `urn:` one as 2020-12 against a
 * permissive metaschema, and tries to load any other (download it, open it, fail). A chart must work with both, so the schema and the values are checked in both readings (ajv, one class per
 * dialect); a problem only one reading has says which helm it is for. Formats are not asserted.
 */

type Draft = '04' | '06' | '07' | '2019-09' | '2020-12';

/**
 * Each dialect by the name ajv knows its metaschema by. Both helms accept a dialect named with either scheme
 * (`https://json-schema.org/draft-07/schema#` is common in charts), while ajv resolves only its own name for it.
 */
const CANONICAL: Record<Draft, string> = {
  '04': 'http://json-schema.org/draft-04/schema#',
  '06': 'http://json-schema.org/draft-06/schema#',
  '07': 'http://json-schema.org/draft-07/schema#',
  '2019-09': 'https://json-schema.org/draft/2019-09/schema',
  '2020-12': 'https://json-schema.org/draft/2020-12/schema',
};

/** A dialect's URI without its scheme and empty fragment, as both helms compare them. */
const bare = (uri: string): string => uri.replace(/^https?:\/\//, '').replace(/#$/, '');

// `json-schema.org/schema` names the newest draft: helm 4 reads it as 2020-12 (helm 3, like any draft it lacks, as 07).
const DIALECTS = new Map<string, Draft>([...Object.entries(CANONICAL).map(([draft, uri]) => [bare(uri), draft as Draft] as const), ['json-schema.org/schema', '2020-12']]);

function dialectOf(uri: string): Draft | undefined {
  return DIALECTS.get(bare(uri));
}

interface Reading {
  /** `helm 3` / `helm 4`. */
  helm: string;
  draft: Draft;
  schema: AnySchemaObject;
  /** The schema itself is not checked against a metaschema (helm 4's answer to an unknown `urn:` `$schema`). */
  permissive?: boolean;
}

/** How each helm major reads the schema, or a spot when helm 4 cannot read it at all (an unknown `$schema`). */
function readings(schema: AnySchemaObject): Reading[] {
  const declared = typeof schema['$schema'] === 'string' ? schema['$schema'] : undefined;
  const dialect = declared === undefined ? undefined : dialectOf(declared);
  const helm3: Draft = dialect === '04' || dialect === '06' ? dialect : '07';
  // gojsonschema reads an unknown or newer $schema as draft-07: ajv would try to resolve it, so it is dropped.
  const { $schema: _dropped, ...withoutDialect } = schema;
  if (dialect) schema = { ...schema, $schema: CANONICAL[dialect] };
  const list: Reading[] = [{ helm: 'helm 3', draft: helm3, schema: dialect === helm3 ? schema : withoutDialect }];
  if (declared === undefined || dialect) list.push({ helm: 'helm 4', draft: dialect ?? '2020-12', schema });
  else if (declared.startsWith('urn:')) list.push({ helm: 'helm 4', draft: '2020-12', schema: withoutDialect, permissive: true });
  return list;
}

/** The part of ajv used here, which every dialect's class has. */
type Validator = Pick<Ajv, 'validateSchema' | 'compile' | 'errors' | 'removeSchema'>;

/**
 * One ajv per dialect for the whole run. Checking a schema against its dialect's metaschema first compiles that
 * metaschema, which costs 20–90 ms: more than everything else this rule does for a chart. Each chart's use of an ajv
 * is synchronous and ends with `removeSchema()` (see `checkReading`), so no chart's schema, `$id` or nested `$id` is
 * seen by the next one; only the compiled metaschemas stay.
 */
const validators = new Map<string, Promise<Validator>>();

function ajvFor(draft: Draft, permissive = false): Promise<Validator> {
  const key = `${draft}${permissive ? ' permissive' : ''}`;
  let made = validators.get(key);
  if (!made) {
    made = newAjv(draft, permissive);
    validators.set(key, made);
  }
  return made;
}

async function newAjv(draft: Draft, permissive: boolean): Promise<Validator> {
  // helm ignores keywords it does not know and (in these readings) formats; ajv is told the same.
  const options = { strict: false, allErrors: true, validateFormats: false, logger: false as const, validateSchema: !permissive };
  // ajv's modules are CommonJS: node and the bundle hand module.exports over as the default export.
  switch (draft) {
    case '04':
      return new (await import('ajv-draft-04')).default.default(options);
    case '06': {
      const ajv = new (await import('ajv')).default.default(options);
      ajv.addMetaSchema((await import('ajv/dist/refs/json-schema-draft-06.json', { with: { type: 'json' } })).default);
      return ajv;
    }
    case '07':
      return new (await import('ajv')).default.default(options);
    case '2019-09':
      return new (await import('ajv/dist/2019.js')).default.default(options);
    case '2020-12':
      return new (await import('ajv/dist/2020.js')).default.default(options);
  }
}

/** `/a/0/b` → ['a', 0, 'b']. */
function pointer(path: string): (string | number)[] {
  if (path === '') return [];
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function dotted(path: (string | number)[]): string {
  return path.reduce<string>((out, s) => (typeof s === 'number' ? `${out}[${s}]` : out ? `${out}.${s}` : s), '') || '(root)';
}

/** ajv's message, with the key or values it is about. */
function describeError(error: ErrorObject): { path: (string | number)[]; message: string } {
  const path = pointer(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path, message: `${dotted([...path, String(params['missingProperty'])])} is required` };
    case 'additionalProperties':
      return { path: [...path, String(params['additionalProperty'])], message: `${dotted([...path, String(params['additionalProperty'])])} is not allowed by the schema` };
    case 'enum':
      return { path, message: `${dotted(path)} must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    default:
      return { path, message: `${dotted(path)} ${error.message ?? `fails ${error.keyword}`}` };
  }
}

export async function checkValuesSchema(chart: PolicyChart, ctx: Pick<PolicyContext, 'tree'>): Promise<RuleOutcome> {
  const valuesFile = rel(chart, 'values.yaml');
  const schemaFile = rel(chart, 'values.schema.json');
  const [valuesText, schemaText] = await ctx.tree.read([valuesFile, schemaFile]);
  if (schemaText === undefined) {
    const file = valuesText === undefined ? chart.chartYaml : valuesFile;
    return { spots: [{ message: 'values.schema.json is missing: add a JSON Schema of the values', file, line: 1, column: 1 }] };
  }
  const jsonError = findJsonError(schemaText);
  if (jsonError) return { spots: [{ message: `values.schema.json is not valid JSON: ${jsonError.message}`, file: schemaFile, ...lineColumn(schemaText, jsonError.offset) }] };
  const schema = JSON.parse(schemaText) as unknown;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return { spots: [{ message: 'values.schema.json must hold a JSON object (a schema)', file: schemaFile, line: 1, column: 1 }] };
  }
  const tree = parseTree(schemaText);
  const inSchema = (path: (string | number)[]): { line: number; column: number } => {
    let node: JsonNode | undefined = tree && findNodeAtLocation(tree, path);
    for (let up = path.length - 1; !node && up >= 0 && tree; up--) node = findNodeAtLocation(tree, path.slice(0, up));
    // A property's key is where a reader looks.
    const at = node?.parent?.type === 'property' ? node.parent : node;
    return lineColumn(schemaText, at?.offset ?? 0);
  };

  let values: ValuesFile;
  try {
    values = readValuesFile(valuesText ?? '', valuesFile);
  } catch (error) {
    if (!(error instanceof ChartshipError)) throw error;
    return { spots: [{ message: `values.yaml cannot be read: ${error.message}`, file: valuesFile, line: error.line, column: error.column }] };
  }

  const list = readings(schema);
  const spots = new Map<string, { spot: Spot; helms: Set<string> }>();
  const add = (key: string, spot: Spot, helm: string) => {
    const seen = spots.get(key);
    if (seen) seen.helms.add(helm);
    else spots.set(key, { spot, helms: new Set([helm]) });
  };
  if (list.length === 1) {
    const declared = String((schema as AnySchemaObject)['$schema']);
    add('$schema', { message: `$schema ${JSON.stringify(declared)} is no JSON Schema draft helm knows: helm 4 tries to load it (download or open it) and fails`, file: schemaFile, ...inSchema(['$schema']) }, 'helm 4');
  }
  let notChecked: string | undefined;
  const results = new Map<Reading, ReadingOutcome>();
  for (const reading of list) {
    // A schema that declares draft-04, -06 or -07 is read the same by both helms: checked once.
    const same = [...results.keys()].find((r) => r.draft === reading.draft && r.schema === reading.schema && r.permissive === reading.permissive);
    const said = same ? results.get(same)! : checkReading(await ajvFor(reading.draft, reading.permissive), reading, values.values);
    results.set(reading, said);
    if (said.notChecked) notChecked = said.notChecked;
    for (const error of said.schemaErrors) {
      const path = pointer(error.instancePath);
      add(`schema ${error.instancePath} ${error.keyword}`, { message: `values.schema.json is not a valid JSON Schema (draft ${reading.draft}): ${dotted(path)} ${error.message}`, file: schemaFile, ...inSchema(path) }, reading.helm);
    }
    for (const error of said.valueErrors) {
      const { path, message } = describeError(error);
      add(`values ${error.instancePath} ${error.keyword} ${error.message}`, { message: `values.yaml does not match values.schema.json: ${message}`, file: valuesFile, ...pick(values.locate(path)) }, reading.helm);
    }
  }
  const found = [...spots.values()].map(({ spot, helms }) => (helms.size === list.length ? spot : { ...spot, message: `${spot.message} (as ${[...helms].join(' and ')} reads it)` }));
  return notChecked && found.length === 0 ? { spots: [], notChecked } : { spots: found };
}

/** What one reading found: the schema's errors against its metaschema, else the values' against the schema. */
interface ReadingOutcome {
  schemaErrors: ErrorObject[];
  valueErrors: ErrorObject[];
  notChecked?: string;
}

/**
 * One reading of a chart's schema: the schema against its metaschema, then the values against the schema. Synchronous
 * from start to `removeSchema()`, because the ajv is shared by every chart checked at the same time.
 */
function checkReading(ajv: Validator, reading: Reading, values: unknown): ReadingOutcome {
  try {
    return readWith(ajv, reading, values);
  } finally {
    ajv.removeSchema();
  }
}

function readWith(ajv: Validator, reading: Reading, values: unknown): ReadingOutcome {
  if (!reading.permissive && !ajv.validateSchema(reading.schema)) {
    // The metaschema says the same thing several ways (`type` not in the enum, not an array, anyOf): the first is enough.
    const first = new Map((ajv.errors ?? []).reverse().map((e) => [e.instancePath, e]));
    return { schemaErrors: [...first.values()].reverse(), valueErrors: [] };
  }
  let validate;
  try {
    validate = ajv.compile(reading.schema);
  } catch (error) {
    // A $ref to another document: helm would download it, which a policy check does not.
    return { schemaErrors: [], valueErrors: [], notChecked: `values not validated: ${(error as Error).message}` };
  }
  return { schemaErrors: [], valueErrors: validate(values) ? [] : [...(validate.errors ?? [])] };
}

function pick(position: { line: number; column: number }): { line: number; column: number } {
  return { line: position.line, column: position.column };
}
