/**
 * Chart.yaml and requirements.yaml as helm reads them (chartfile-core.ts), with the `yaml` package's reader loaded, so
 * that any text reads synchronously. Only the plan's readers (discovery, change detection) import chartfile-core.ts
 * itself, through withYamlReader (go-decode.ts says why).
 */
import './yaml-full.js';

export * from './chartfile-core.js';
