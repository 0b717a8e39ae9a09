import { ChartshipError } from '../../model/errors.js';
import { registryKind } from './hosts.js';

/**
 * Registries that take repository paths of a fixed depth, checked when a target is opened so that a target that can
 * never work fails before anything is planned or pushed.
 *
 * Alibaba Cloud Container Registry (Enterprise and Personal Edition) holds repositories as exactly
 * `<namespace>/<repository>` under the instance domain (help.aliyun.com, "Push and pull Charts as OCI artifacts" and
 * the alicloud_cr_ee_repo resource: a repository has one namespace and one name), so a chart target there is
 * `oci://DOMAIN/NAMESPACE`, one path component, and the chart name makes the second.
 */
export function checkTargetPath(host: string, namespace: string): void {
  if (registryKind(host) !== 'alibaba') return;
  const levels = namespace === '' ? 0 : namespace.split('/').length;
  if (levels === 1) return;
  const example = `oci://${host}/${namespace.split('/')[0] || 'NAMESPACE'}`;
  throw new ChartshipError(
    levels === 0
      ? `oci://${host} names no namespace: Alibaba Cloud ACR keeps charts as NAMESPACE/CHART`
      : `oci://${host}/${namespace} would make ${levels + 1}-level repository paths: Alibaba Cloud ACR keeps charts as NAMESPACE/CHART, with no deeper nesting`,
    { code: 'TARGET_INVALID', field: 'registry', hint: `write the namespace alone, e.g. ${example}` },
  );
}
