/**
 * The subset of JSON Schema (OpenAPI 3.0 flavour) that GitHub's REST description uses, checked strictly enough to
 * catch a wrong request: type, nullable, enum, properties, required, additionalProperties, items, oneOf/anyOf/
 * allOf, string/number/array bounds and $ref into the document.
 */
export type Schema = { [keyword: string]: unknown };

export interface SchemaProblem {
  /** Where in the value, e.g. `body.make_latest`. */
  at: string;
  message: string;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'null':
      return value === null;
    default:
      return true;
  }
}

export class SchemaChecker {
  constructor(private readonly document: unknown) {}

  /** Follows `$ref: '#/components/…'` (JSON pointer) chains. */
  resolve<T = Schema>(node: unknown): T {
    let current = node as Schema;
    for (let hops = 0; typeof current?.$ref === 'string'; hops++) {
      if (hops > 32) throw new Error(`$ref loop at ${current.$ref}`);
      const ref = current.$ref;
      if (!ref.startsWith('#/')) throw new Error(`external $ref ${ref} is not supported`);
      let target: unknown = this.document;
      for (const raw of ref.slice(2).split('/')) {
        const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
        target = (target as Record<string, unknown> | undefined)?.[key];
      }
      if (target === undefined) throw new Error(`$ref ${ref} points nowhere`);
      current = target as Schema;
    }
    return current as T;
  }

  check(schemaNode: unknown, value: unknown, at = ''): SchemaProblem[] {
    const schema = this.resolve(schemaNode);
    if (schema === undefined || schema === null || typeof schema !== 'object') return [];
    const problems: SchemaProblem[] = [];
    const problem = (message: string, where = at) => problems.push({ at: where || '(root)', message });

    if (value === null && (schema.nullable === true || (Array.isArray(schema.enum) && schema.enum.includes(null)))) return [];

    if (Array.isArray(schema.allOf)) for (const part of schema.allOf) problems.push(...this.check(part, value, at));
    for (const keyword of ['anyOf', 'oneOf'] as const) {
      const branches = schema[keyword];
      if (!Array.isArray(branches)) continue;
      // GitHub's description has overlapping oneOf branches (a value often fits two), so oneOf is checked as
      // anyOf: exactly-one would reject requests GitHub accepts.
      const results = branches.map((branch) => this.check(branch, value, at));
      if (!results.some((r) => r.length === 0)) {
        const closest = results.reduce((best, r) => (r.length < best.length ? r : best), results[0] ?? []);
        problem(`matches none of the ${branches.length} ${keyword} alternatives (closest: ${closest.map((p) => `${p.at}: ${p.message}`).join('; ')})`);
      }
    }

    const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
    if (types.length > 0 && !types.some((type) => hasType(value, type))) {
      if (value === null) problem(`must be ${types.join(' or ')}, not null (the schema is not nullable)`);
      else problem(`must be ${types.join(' or ')}, got ${describe(value)} ${JSON.stringify(value)?.slice(0, 80)}`);
      return problems;
    }
    if (Array.isArray(schema.enum) && !schema.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) {
      problem(`must be one of ${schema.enum.map((option) => JSON.stringify(option)).join(', ')}, got ${JSON.stringify(value)}`);
    }

    if (typeof value === 'string') {
      if (typeof schema.minLength === 'number' && value.length < schema.minLength) problem(`must be at least ${schema.minLength} characters`);
      if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) problem(`must be at most ${schema.maxLength} characters`);
      if (typeof schema.pattern === 'string') {
        let pattern: RegExp | undefined;
        try {
          pattern = new RegExp(schema.pattern, 'u');
        } catch {
          pattern = undefined; // A pattern in a dialect JavaScript does not speak is not ours to enforce.
        }
        if (pattern && !pattern.test(value)) problem(`must match ${schema.pattern}`);
      }
    }
    if (typeof value === 'number') {
      if (typeof schema.minimum === 'number' && value < schema.minimum) problem(`must be >= ${schema.minimum}`);
      if (typeof schema.maximum === 'number' && value > schema.maximum) problem(`must be <= ${schema.maximum}`);
    }
    if (Array.isArray(value)) {
      if (typeof schema.minItems === 'number' && value.length < schema.minItems) problem(`needs at least ${schema.minItems} items`);
      if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) problem(`takes at most ${schema.maxItems} items`);
      if (schema.items !== undefined) value.forEach((item, i) => problems.push(...this.check(schema.items, item, `${at}[${i}]`)));
    }
    if (hasType(value, 'object')) {
      const object = value as Record<string, unknown>;
      const properties = (schema.properties ?? {}) as Record<string, unknown>;
      for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
        if (object[name] === undefined) problem(`is required`, at ? `${at}.${name}` : name);
      }
      for (const [name, item] of Object.entries(object)) {
        if (item === undefined) continue;
        const where = at ? `${at}.${name}` : name;
        if (name in properties) problems.push(...this.check(properties[name], item, where));
        else if (schema.additionalProperties === false) problem('is not a known property (additionalProperties: false)', where);
        else if (typeof schema.additionalProperties === 'object') problems.push(...this.check(schema.additionalProperties, item, where));
      }
    }
    return problems;
  }

  /**
   * A minimal value that satisfies `schema`: required properties only, first enum value / alternative. Lets the
   * fake server answer with complete GitHub objects without spelling out every URL field by hand.
   */
  sample(schemaNode: unknown, depth = 0): unknown {
    const schema = this.resolve(schemaNode);
    if (depth > 12 || schema === undefined) return null;
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
    if (Array.isArray(schema.allOf)) {
      return Object.assign({}, ...schema.allOf.map((part) => this.sample(part, depth + 1)).filter((v) => hasType(v, 'object')));
    }
    const alternatives = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
    if (Array.isArray(alternatives) && alternatives.length > 0) return this.sample(alternatives[0], depth + 1);
    if (schema.nullable === true) return null;
    const type = Array.isArray(schema.type) ? (schema.type as string[]).find((t) => t !== 'null') : (schema.type as string | undefined);
    switch (type) {
      case 'string':
        return schema.format === 'date-time' ? '2025-01-01T00:00:00Z' : schema.format === 'uri' ? 'https://example.invalid/' : 'x';
      case 'integer':
      case 'number':
        return typeof schema.minimum === 'number' ? schema.minimum : 1;
      case 'boolean':
        return false;
      case 'array':
        return [];
      default: {
        const properties = (schema.properties ?? {}) as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) out[name] = this.sample(properties[name], depth + 1);
        return out;
      }
    }
  }
}
