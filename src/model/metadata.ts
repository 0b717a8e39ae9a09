/** Chart.yaml as helm understands it (pkg/chart/v2 Metadata). Field names are the YAML keys. */
export interface Maintainer {
  name?: string;
  email?: string;
  url?: string;
}

export interface ChartDependency {
  name: string;
  version?: string;
  repository?: string;
  condition?: string;
  tags?: string[];
  enabled?: boolean;
  'import-values'?: unknown[];
  alias?: string;
}

/** What helm's Metadata.Validate allows as a dependency alias (Chart.yaml, and index.yaml entries loadIndex keeps). */
export const DEPENDENCY_ALIAS = /^[a-zA-Z0-9_-]+$/;

/** Whether `type` is one helm's Metadata.Validate takes (absent means application). */
export function isChartType(type: string | undefined): boolean {
  return type === undefined || type === '' || type === 'application' || type === 'library';
}

export interface ChartMetadata {
  apiVersion: 'v1' | 'v2';
  name: string;
  version: string;
  kubeVersion?: string;
  description?: string;
  type?: 'application' | 'library';
  keywords?: string[];
  home?: string;
  sources?: string[];
  dependencies?: ChartDependency[];
  maintainers?: Maintainer[];
  icon?: string;
  appVersion?: string;
  deprecated?: boolean;
  annotations?: Record<string, string>;
  condition?: string;
  tags?: string;
}
