import type { ChartFile } from '../charts/chartfile.js';
import type { SourceTree } from '../charts/source-tree.js';
import type { PolicyFinding } from '../model/policy.js';
import type { PackagedRender, Renderer } from './render.js';

/** A chart as the policy reads it. */
export interface PolicyChart {
  name: string;
  /** Directory relative to the repository root, `/`-separated ('' for the root). */
  path: string;
  chartYaml: string;
  file: ChartFile;
}

/** A finding before the chart's policy gives it its rule and severity. */
export type Spot = Pick<PolicyFinding, 'message' | 'file' | 'line' | 'column'>;

/** What one rule found: findings, or why it could not look (then `spots` is empty). */
export interface RuleOutcome {
  spots: Spot[];
  notChecked?: string;
}

/** What a published version holds compared with the chart as written (`chart-metadata`'s version check). */
export interface PublishedContent {
  /** Where it looked, for messages (`oci://ghcr.io/acme/charts`). */
  where: string;
  /** `absent` when no target holds the version, `same` when every one that does holds this content. */
  compare(chart: PolicyChart, version: string): Promise<'absent' | 'same' | 'differs'>;
}

/** The outside systems the policy needs, injected by the pipeline. */
export interface PolicyContext {
  /** The repository's files (values, schema, templates). */
  tree: SourceTree;
  /** Renders charts; undefined when helm is not on PATH (the rules that render are then not checked). */
  renderer?: Renderer;
  /**
   * What helm renders for a chart: the policy's copy of it (render-copy.ts) as an archive, never its directory, which
   * helm would read through any link (a runner's file, /proc/self/environ) into the manifests and so into findings.
   */
  renderable(chart: PolicyChart): Promise<string | PackagedRender>;
  published?: PublishedContent;
}

export const rel = (chart: PolicyChart, name: string): string => (chart.path === '' ? name : `${chart.path}/${name}`);
