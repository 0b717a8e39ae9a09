/**
 * helm's chart structs (pkg/chart/v2) as Go's YAML decoder fills them: the shapes Chart.yaml and Chart.lock are read
 * into, shared by both readers.
 */
import type { GoType } from './go-decode.js';

const S: GoType = { type: 'string' };
const STRINGS: GoType = { type: 'list', of: S };
const MAINTAINER: GoType = { type: 'struct', name: 'Maintainer', pointer: true, fields: { name: S, email: S, url: S } };
export const DEPENDENCY: GoType = {
  type: 'struct',
  name: 'Dependency',
  pointer: true,
  fields: { name: S, version: S, repository: S, condition: S, tags: STRINGS, enabled: { type: 'bool' }, 'import-values': { type: 'list', of: { type: 'any' } }, alias: S },
};
/** helm's chart.Metadata, by JSON field name. */
export const METADATA: GoType = {
  type: 'struct',
  name: 'Metadata',
  fields: {
    name: S,
    home: S,
    sources: STRINGS,
    version: S,
    description: S,
    keywords: STRINGS,
    maintainers: { type: 'list', of: MAINTAINER },
    icon: S,
    apiVersion: S,
    condition: S,
    tags: S,
    appVersion: S,
    deprecated: { type: 'bool' },
    annotations: { type: 'map', of: S },
    kubeVersion: S,
    dependencies: { type: 'list', of: DEPENDENCY },
    type: S,
  },
};
