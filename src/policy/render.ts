import type { LoadedChart } from '../charts/tree.js';

/** A value set for one rendering: `helm template --set-json PATH=JSON`. */
export interface SetValue {
  /** Dotted value path, e.g. `global.registryPath`. */
  path: string;
  value: unknown;
}

/**
 * What renders a chart's templates the way helm does. The one implementation is the real helm binary
 * (helm-renderer.ts): nothing else evaluates templates, sprig and subcharts exactly as helm.
 */
export interface Renderer {
  /** What renders, for reports: `helm v3.17.3`. */
  readonly name: string;
  /** The manifests of `chart` (a directory or a .tgz) with `values` set; rejects with helm's message. */
  render(chart: string | PackagedRender, values: SetValue[]): Promise<string>;
}

/**
 * A chart archive written for helm to render, with the bytes and the tree it was written from: whoever batches
 * renderings reads them from here instead of reading the file back and loading it again.
 */
export interface PackagedRender {
  path: string;
  archive: Buffer;
  chart: LoadedChart;
}

/** Where helm reads the chart from. */
export const renderPath = (chart: string | PackagedRender): string => (typeof chart === 'string' ? chart : chart.path);
