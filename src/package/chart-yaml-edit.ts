import { isMap, isScalar, parseDocument, Scalar, stringify } from 'yaml';
import { ChartshipError } from '../errors.js';
import { isStrictSemver, parseChartYaml, type ChartFile } from '../charts/chartfile.js';

export interface ChartYamlOverrides {
  version?: string;
  appVersion?: string;
}

/**
 * Chart.yaml with `version` / `appVersion` replaced, for the archive only. An existing value is replaced in place in
 * the text, keeping its quoting style, so every other byte (comments, order, spacing) stays as written; a missing
 * key is added through the YAML Document API.
 */
export function overrideChartYaml(text: string, file: string, overrides: ChartYamlOverrides): { text: string; chartFile: ChartFile } {
  if (overrides.version !== undefined && !isStrictSemver(overrides.version)) {
    const hint = /^v\d/.test(overrides.version) ? `drop the "v": ${overrides.version.slice(1)}` : 'use MAJOR.MINOR.PATCH, e.g. 1.0.0';
    throw new ChartshipError(`${JSON.stringify(overrides.version)} is not a valid SemVer 2 version`, { field: '--version', hint, code: 'VERSION_INVALID' });
  }
  if (overrides.appVersion !== undefined && overrides.appVersion.trim() === '') {
    throw new ChartshipError('must not be empty', { field: '--app-version', code: 'VERSION_INVALID' });
  }
  const wanted = Object.entries(overrides).filter((e): e is [string, string] => e[1] !== undefined);
  if (wanted.length === 0) return { text, chartFile: parseChartYaml(text, file) };

  let out = text.replace(/^\uFEFF/, '');
  const document = parseDocument(out);
  const splices: { start: number; end: number; value: string }[] = [];
  const missing: [string, string][] = [];
  for (const [key, value] of wanted) {
    const node = isMap(document.contents) ? document.contents.get(key, true) : undefined;
    const inline = isScalar(node) && (node.type === Scalar.PLAIN || node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE);
    if (inline && node.range) splices.push({ start: node.range[0], end: node.range[1], value: formatLike(node, value) });
    else missing.push([key, value]);
  }
  for (const s of splices.sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + s.value + out.slice(s.end);
  if (missing.length > 0) {
    const edited = parseDocument(out);
    for (const [key, value] of missing) edited.set(key, new Scalar(value));
    out = edited.toString({ lineWidth: 0 });
  }
  return { text: out, chartFile: parseChartYaml(out, file) };
}

/** The new value in the old value's quoting, or plain when YAML would still read it as a string. */
function formatLike(node: Scalar, value: string): string {
  if (node.type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  if (node.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  const plain = stringify(value).trimEnd();
  return plain.includes('\n') ? JSON.stringify(value) : plain;
}
