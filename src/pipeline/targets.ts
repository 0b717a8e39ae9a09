import { openTarget, parseOciTarget, type ChartTarget, type TargetOptions } from '../oci/index.js';

/**
 * Opens every target. Explicit credentials belong to one registry: they go to the host of the first `oci://`
 * target (every namespace on it), never to the other hosts, which authenticate from docker/helm credential files
 * (e.g. a docker/login-action step) instead. A GHCR token must not reach an ECR endpoint because both were listed.
 */
export function openTargets(specs: string[], options: TargetOptions = {}): ChartTarget[] {
  const first = specs.find((spec) => spec.startsWith('oci://'));
  const credentialHost = first ? parseOciTarget(first).host : undefined;
  const { username: _username, password: _password, ...anonymous } = options;
  return specs.map((spec) => {
    const ownsCredentials = spec.startsWith('oci://') && parseOciTarget(spec).host === credentialHost;
    return openTarget(spec, ownsCredentials ? options : anonymous);
  });
}
