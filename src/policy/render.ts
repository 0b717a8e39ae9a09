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
  render(chart: string, values: SetValue[]): Promise<string>;
}
