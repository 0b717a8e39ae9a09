import { ChartshipError } from '../model/errors.js';
import { isStrictSemver, parseHelmVersion } from '../model/helm-semver.js';
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

/**
 * Which tags stand for chart versions: `resolvable`, strict SemVer only, as helm lists them to resolve a version range
 * (its registry client skips the rest); `held`, every version helm packages and pushes as written (`v1.42.1`, `1.2`),
 * for telling whether a registry holds a chart's exact version.
 */
export type TagVersions = 'resolvable' | 'held';

/** The chart version a tag stands for, or undefined when it stands for none of `which` (e.g. `latest`, `sha256-…`). */
export function versionForTag(tag: string, which: TagVersions = 'resolvable'): string | undefined {
  const version = tag.replaceAll('_', '+');
  return (which === 'held' ? parseHelmVersion(version) !== undefined : isStrictSemver(version)) ? version : undefined;
}
