import { parseFamiliarName, type Reference } from '@swimlane/docker-reference';
import { ChartshipError } from '../model/errors.js';
import { readValuesFile } from '../charts/values.js';
import type { PolicyRuleId } from '../model/policy.js';
import { readRenderedPods, type RenderedPodSpec } from './manifests.js';
import type { SetValue } from './render.js';
import type { EffectivePolicy } from './settings.js';
import { imageLine, podSpecLine, templateText, type TemplateText } from './template-lines.js';
import { rel, type PolicyChart, type PolicyContext, type RuleOutcome, type Spot } from './types.js';

/** A registry host no image can really have (`.invalid` is reserved): an image carrying it took it from values. */
export const SENTINEL_REGISTRY = 'registry.chartship-sentinel.invalid';
export const SENTINEL_PULL_SECRET = 'chartship-sentinel-pull-secret';

type RenderRule = Extract<PolicyRuleId, 'image-registry-configurable' | 'image-pull-secrets-configurable' | 'immutable-image-tags' | 'no-external-registry'>;

/**
 * The rules that look at rendered manifests. Two renderings at most: with the chart's own values (tags, hosts), and
 * with sentinels at the registry and pull-secret values (which images and pod specs take them).
 */
export async function checkRendered(chart: PolicyChart, policy: EffectivePolicy, rules: RenderRule[], ctx: PolicyContext): Promise<Map<RenderRule, RuleOutcome>> {
  const outcomes = new Map<RenderRule, RuleOutcome>();
  const renderer = ctx.renderer!;
  const templates = new Map<string, Promise<TemplateText>>();
  const template = (name: string) => {
    if (!templates.has(name)) templates.set(name, templateText(chart, name, ctx.tree));
    return templates.get(name)!;
  };
  const plain = rules.filter((r) => r === 'immutable-image-tags' || r === 'no-external-registry');
  const sentinel = rules.filter((r) => r === 'image-registry-configurable' || r === 'image-pull-secrets-configurable');
  const sets: SetValue[] = [];
  let registryPaths: string[] = [];
  let secretPaths: string[] = [];
  if (sentinel.length > 0) {
    const [valuesText] = await ctx.tree.read([rel(chart, 'values.yaml')]);
    const values = readValuesOrNothing(valuesText ?? '', rel(chart, 'values.yaml'));
    registryPaths = sentinel.includes('image-registry-configurable') ? present(values, policy['image-registry-configurable'].values) : [];
    secretPaths = sentinel.includes('image-pull-secrets-configurable') ? present(values, policy['image-pull-secrets-configurable'].values) : [];
    for (const path of registryPaths) sets.push({ path, value: SENTINEL_REGISTRY });
    for (const path of secretPaths) sets.push({ path, value: [pullSecretEntry(valueAt(values, path))] });
  }
  // Asked once for both renderings, right before them (a rejection is handled by both); a chart chartship refuses to
  // hand to helm is then said in each rule's reason.
  const source = ctx.renderable(chart);
  const render = async (values: SetValue[]): Promise<RenderedPodSpec[] | string> => {
    try {
      return readRenderedPods(await renderer.render(await source, values));
    } catch (error) {
      // chartship's own refusal to hand the chart to helm (a link out of the repository, a .git directory, a dependency it cannot have) is not helm's.
      if (error instanceof ChartshipError) return `not rendered: ${error.describe()}`;
      return `${renderer.name} could not render the chart${values.length ? ` (with ${values.map((v) => v.path).join(', ')} set)` : ''}: ${(error as Error).message}`;
    }
  };

  // Both renderings are asked for in one step: a renderer that batches charts (render-batch.ts) starts a batch once
  // every chart being checked has asked, and a chart between its two requests would miss it.
  const [plainPods, sentinelPods] = await Promise.all([plain.length > 0 ? render([]) : [], sentinel.length > 0 ? render(sets) : []]);

  for (const rule of plain) {
    if (typeof plainPods === 'string') outcomes.set(rule, { spots: [], notChecked: plainPods });
    else if (rule === 'immutable-image-tags') outcomes.set(rule, await mutableTags(plainPods, policy[rule].mutableTags, template));
    else outcomes.set(rule, await externalRegistries(plainPods, policy[rule].allowedRegistries, template));
  }
  for (const rule of sentinel) {
    if (typeof sentinelPods === 'string') outcomes.set(rule, { spots: [], notChecked: sentinelPods });
    else if (rule === 'image-registry-configurable') outcomes.set(rule, await registryFromValues(sentinelPods, registryPaths, template));
    else outcomes.set(rule, await pullSecretsFromValues(sentinelPods, secretPaths, template));
  }
  return outcomes;
}

/** Malformed values.yaml is `values-schema`'s finding; helm will say so when it renders. */
function readValuesOrNothing(text: string, file: string): Record<string, unknown> {
  try {
    return readValuesFile(text, file).values;
  } catch {
    return {};
  }
}

/** The value paths the chart declares in values.yaml; all of them when it declares none (a template may still read them). */
function present(values: Record<string, unknown>, paths: string[]): string[] {
  const declared = paths.filter((p) => valueAt(values, p) !== undefined);
  return declared.length > 0 ? declared : paths;
}

function valueAt(values: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (typeof o === 'object' && o !== null && !Array.isArray(o) ? (o as Record<string, unknown>)[k] : undefined), values);
}

/** A pull-secret list entry shaped like the chart's own: a name, or `{name: …}` (the Kubernetes shape, the default). */
function pullSecretEntry(current: unknown): unknown {
  return Array.isArray(current) && typeof current[0] === 'string' ? SENTINEL_PULL_SECRET : { name: SENTINEL_PULL_SECRET };
}

type TemplateOf = (source: string) => Promise<TemplateText>;

/** One spot per template line and message: a loop rendering the same image many times is one finding. */
async function spots(list: { source: string; message: string; where: (t: TemplateText) => { line?: number; column?: number } }[], template: TemplateOf): Promise<Spot[]> {
  const out = new Map<string, Spot>();
  for (const item of list) {
    const t = await template(item.source);
    const spot: Spot = { message: `${item.message}${t.note}`, file: t.file, ...item.where(t) };
    out.set(`${spot.file}:${spot.line}:${spot.column}:${spot.message}`, spot);
  }
  return [...out.values()];
}

function workload(pod: RenderedPodSpec): string {
  return `${pod.kind}${pod.name ? ` ${pod.name}` : ''}`;
}

async function registryFromValues(pods: RenderedPodSpec[], paths: string[], template: TemplateOf): Promise<RuleOutcome> {
  const set = paths.map((p) => `${p}=${SENTINEL_REGISTRY}`).join(', ');
  const list = pods.flatMap((pod) =>
    pod.images
      .filter((i) => !i.image.includes(SENTINEL_REGISTRY))
      .map((i) => ({
        source: pod.source,
        message: `image ${i.image} (${workload(pod)}, ${i.list} ${i.container}) does not take its registry from values: rendered with ${set} it does not carry it`,
        where: (t: TemplateText) => imageLine(t, i.image, i.ordinal, i.line),
      })),
  );
  return { spots: await spots(list, template) };
}

async function pullSecretsFromValues(pods: RenderedPodSpec[], paths: string[], template: TemplateOf): Promise<RuleOutcome> {
  const list = pods
    .filter((pod) => !JSON.stringify(pod.imagePullSecrets ?? null).includes(SENTINEL_PULL_SECRET))
    .map((pod) => ({
      source: pod.source,
      message: `the pod spec of ${workload(pod)} does not take imagePullSecrets from values: rendered with ${paths.join(', ')} set to a pull secret, it does not list it`,
      where: (t: TemplateText) => podSpecLine(t, pod.ordinal, pod.line),
    }));
  return { spots: await spots(list, template) };
}

function parse(image: string): Reference | undefined {
  try {
    return parseFamiliarName(image);
  } catch {
    return undefined;
  }
}

async function mutableTags(pods: RenderedPodSpec[], mutable: string[], template: TemplateOf): Promise<RuleOutcome> {
  const moving = new Set(mutable.map((t) => t.toLowerCase()));
  const list = pods.flatMap((pod) =>
    pod.images.flatMap((i) => {
      const ref = parse(i.image);
      let problem: string | undefined;
      if (!ref) problem = 'is not a valid image reference';
      else if (ref.digest) problem = undefined;
      else if (!ref.tag) problem = 'has no tag (it pulls whatever `latest` is)';
      else if (moving.has(ref.tag.toLowerCase())) problem = `has the mutable tag ${JSON.stringify(ref.tag)}`;
      if (!problem) return [];
      return [{ source: pod.source, message: `image ${i.image} (${workload(pod)}) ${problem}: pin a version tag or a digest`, where: (t: TemplateText) => imageLine(t, i.image, i.ordinal, i.line) }];
    }),
  );
  return { spots: await spots(list, template) };
}

async function externalRegistries(pods: RenderedPodSpec[], allowed: string[], template: TemplateOf): Promise<RuleOutcome> {
  if (allowed.length === 0) return { spots: [], notChecked: 'no allowed registries are configured (allowed-registries in .chartship.yaml, or the policy-allowed-registries input of the action, --policy-allowed-registries of the CLI)' };
  const prefixes = allowed.map((a) => a.toLowerCase().replace(/\/+$/, ''));
  const list = pods.flatMap((pod) =>
    pod.images.flatMap((i) => {
      const ref = parse(i.image);
      const name = ref ? `${ref.domain}/${ref.repository}`.toLowerCase() : i.image.toLowerCase();
      if (prefixes.some((p) => name === p || name.startsWith(`${p}/`))) return [];
      const host = ref?.domain ?? i.image.split('/')[0];
      return [{ source: pod.source, message: `image ${i.image} (${workload(pod)}) is pulled from ${host}, which is not an allowed registry (${allowed.join(', ')})`, where: (t: TemplateText) => imageLine(t, i.image, i.ordinal, i.line) }];
    }),
  );
  return { spots: await spots(list, template) };
}
