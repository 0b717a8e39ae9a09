/**
 * GitHub's published OpenAPI description (@octokit/openapi) as a request checker: finds the operation for a method
 * and path, and lists everything wrong with the path parameters, query and JSON body.
 *
 * It reads a pinned subset checked in as test/fixtures/github-openapi-subset.json.gz (scripts/github-openapi-subset.mjs
 * makes it): the operations chartship and its tests use, whole, and every other operation as a stub that keeps
 * routing exact. A request that reaches a stub is `not-in-subset`, never a pass.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SchemaChecker, type Schema } from './github-api-schema.js';

/** Which description to check against: GitHub.com, or a GitHub Enterprise Server release. */
export type DescriptionName = 'api.github.com' | 'ghes-3.17' | 'ghes-3.18' | 'ghes-3.19';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
  'x-multi-segment'?: boolean;
}

export interface Operation {
  method: string;
  template: string;
  operationId: string;
  parameters: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses: Record<string, unknown>;
  /** A stub: GitHub has this operation, the pinned subset does not carry its parameters, body or answers. */
  'x-not-in-subset'?: boolean;
}

interface Route {
  pattern: RegExp;
  names: string[];
  /** Literal characters in the template: the more, the more specific (`/releases/latest` beats `/releases/{id}`). */
  weight: number;
  operations: Map<string, Operation>;
}

export type Match =
  | { kind: 'found'; operation: Operation; pathParams: Record<string, string> }
  /** GitHub has the operation, but the checked-in subset does not describe it: regenerate with it added. */
  | { kind: 'not-in-subset'; operationId: string }
  | { kind: 'no-path' }
  | { kind: 'no-method'; allowed: string[] };

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
export const SUBSET_FILE = join(import.meta.dirname, '..', 'fixtures', 'github-openapi-subset.json.gz');
export const SUBSET_GENERATOR = 'scripts/github-openapi-subset.mjs';

interface SubsetFixture {
  source: { package: string; version: string; integrity: string };
  operations: string[];
  descriptions: Record<DescriptionName, { paths: Record<string, Record<string, unknown>> }>;
}
let fixture: SubsetFixture | undefined;
const cache = new Map<DescriptionName, ApiDescription>();

export class ApiDescription {
  readonly checker: SchemaChecker;
  private readonly routes: Route[] = [];

  private constructor(document: { paths: Record<string, Record<string, unknown>> }) {
    this.checker = new SchemaChecker(document);
    for (const [template, item] of Object.entries(document.paths)) {
      const shared = ((item.parameters ?? []) as unknown[]).map((p) => this.checker.resolve<Parameter>(p));
      const operations = new Map<string, Operation>();
      for (const method of METHODS) {
        const op = item[method] as (Omit<Operation, 'method' | 'template' | 'parameters'> & { parameters?: unknown[] }) | undefined;
        if (!op) continue;
        const own = (op.parameters ?? []).map((p) => this.checker.resolve<Parameter>(p));
        const parameters = [...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)), ...own];
        operations.set(method.toUpperCase(), { ...op, method: method.toUpperCase(), template, parameters });
      }
      const multi = new Set([...operations.values()].flatMap((op) => op.parameters.filter((p) => p['x-multi-segment']).map((p) => p.name)));
      const names: string[] = [];
      const source = template.replace(/\{([^}]+)\}|[^{]+/g, (part, name: string | undefined) => {
        if (name === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        names.push(name);
        return multi.has(name) ? '(.+?)' : '([^/]+)';
      });
      this.routes.push({ pattern: new RegExp(`^${source}$`), names, weight: template.replace(/\{[^}]+\}/g, '').length, operations });
    }
    this.routes.sort((a, b) => b.weight - a.weight);
  }

  /** Loads (once per process) one description from the checked-in subset of @octokit/openapi. */
  static load(name: DescriptionName = 'api.github.com'): ApiDescription {
    let description = cache.get(name);
    if (!description) {
      fixture ??= JSON.parse(gunzipSync(readFileSync(SUBSET_FILE)).toString('utf8')) as SubsetFixture;
      const document = fixture.descriptions[name];
      if (!document) throw new Error(`${SUBSET_FILE} has no ${name} description: add it to ${SUBSET_GENERATOR} and rerun it`);
      description = new ApiDescription(document);
      cache.set(name, description);
    }
    return description;
  }

  /** Where the subset came from, e.g. `@octokit/openapi@23.0.2`. */
  static get source(): string {
    ApiDescription.load();
    return `${fixture!.source.package}@${fixture!.source.version}`;
  }

  /** `path` is the raw (still percent-encoded) path below the API root. */
  match(method: string, path: string): Match {
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      const operation = route.operations.get(method.toUpperCase());
      if (!operation) {
        for (const m of route.operations.keys()) allowed.add(m);
        continue;
      }
      if (operation['x-not-in-subset']) return { kind: 'not-in-subset', operationId: operation.operationId };
      const pathParams: Record<string, string> = {};
      route.names.forEach((name, i) => {
        const raw = found[i + 1] ?? '';
        try {
          pathParams[name] = decodeURIComponent(raw);
        } catch {
          pathParams[name] = raw; // Malformed escapes reach the handler as-is, like any other odd value.
        }
      });
      return { kind: 'found', operation, pathParams };
    }
    return allowed.size > 0 ? { kind: 'no-method', allowed: [...allowed] } : { kind: 'no-path' };
  }

  /** Everything wrong with a request to `operation`: parameters by location, then the body. */
  problems(
    operation: Operation,
    request: { pathParams: Record<string, string>; query: URLSearchParams; contentType?: string; rawBody: string },
  ): string[] {
    const problems: string[] = [];
    for (const parameter of operation.parameters) {
      if (parameter.in === 'path') {
        const raw = request.pathParams[parameter.name];
        if (raw === undefined || raw === '') problems.push(`path parameter ${parameter.name} is missing`);
        else problems.push(...this.parameterProblems(parameter, [raw]));
      } else if (parameter.in === 'query') {
        const raw = request.query.getAll(parameter.name);
        if (raw.length === 0) {
          if (parameter.required) problems.push(`query parameter ${parameter.name} is required`);
        } else problems.push(...this.parameterProblems(parameter, raw));
      }
    }

    const bodySpec = operation.requestBody ? this.checker.resolve<NonNullable<Operation['requestBody']>>(operation.requestBody) : undefined;
    if (request.rawBody.trim() === '') {
      if (bodySpec?.required) problems.push('a JSON request body is required');
      return problems;
    }
    const jsonSchema = bodySpec?.content?.['application/json']?.schema;
    if (!bodySpec || !jsonSchema) {
      // Octokit sends no body for these; a body here means the caller confused two operations.
      if (!bodySpec) problems.push(`${operation.operationId} takes no request body`);
      return problems;
    }
    if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(request.contentType ?? '')) {
      problems.push(`the body must be sent as application/json, not ${request.contentType ?? 'without a content type'}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(request.rawBody);
    } catch (error) {
      problems.push(`the body is not JSON: ${(error as Error).message}`);
      return problems;
    }
    problems.push(...this.checker.check(jsonSchema, body, 'body').map((p) => `${p.at}: ${p.message}`));
    return problems;
  }

  /** Query and path values arrive as text; they are read the way GitHub reads them before the schema check. */
  private parameterProblems(parameter: Parameter, raw: string[]): string[] {
    const schema = this.checker.resolve(parameter.schema ?? {});
    const read = (text: string, type: unknown): unknown => {
      if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
      if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
      return text;
    };
    const value =
      schema.type === 'array'
        ? raw.flatMap((text) => text.split(',')).map((text) => read(text, this.checker.resolve(schema.items ?? {}).type))
        : read(raw[raw.length - 1] ?? '', schema.type);
    return this.checker
      .check(schema, value, `${parameter.in} parameter ${parameter.name}`)
      .map((p) => `${p.at}: ${p.message}`);
  }
}
