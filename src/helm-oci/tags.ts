import { ChartshipError } from '../model/errors.js';
import { isStrictSemver } from '../model/helm-semver.js';
import { isTag } from '../oci/reference.js';

/** helm's tag for a chart version: OCI tags cannot hold `+`, so build metadata goes behind `_`. */
export function tagForVersion(version: string): string {
  const tag = version.replaceAll('+', '_');
  if (!isTag(tag)) {
    throw new ChartshipError(`version ${JSON.stringify(version)} does not make a valid OCI tag`, {
      field: 'version',
      code: 'TAG_INVALID',
      hint: 'tags allow at most 128 letters, digits, ".", "_" and "-"',
    });
  }
  return tag;
}

/** The chart version a tag stands for, or undefined when the tag is no strict SemVer (e.g. `latest`, `sha256-…`). */
export function versionForTag(tag: string): string | undefined {
  const version = tag.replaceAll('_', '+');
  return isStrictSemver(version) ? version : undefined;
}
