/**
 * Imported for its effect: readGoYaml (go-decode.ts) then reads any YAML synchronously, through the `yaml` package,
 * not only the plain blocks its fast path reads. Modules that read YAML synchronously import this.
 */
import { useFullYamlReader } from './go-decode.js';
import { readGoYamlSyntax } from './yaml-syntax.js';

useFullYamlReader(readGoYamlSyntax);
