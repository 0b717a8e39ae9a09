import { ChartshipError } from '../model/errors.js';
import { parseOciTarget, type RegistryLocation } from '../oci/reference.js';

/** `oci://HOST[:PORT]/NS/name[:tag][@sha256:…]`: where one chart lives, and the version or digest it names, if any. */
export interface ChartReference {
  /** The registry and the namespace the chart's repository sits in (the path without the chart name). */
  location: RegistryLocation;
  /** `oci://HOST/NS`, what `openStore` takes. */
  target: string;
  name: string;
  /** The tag as written after `:` (with `+` as helm lets users write it). */
  tag?: string;
  digest?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Reads a chart reference as `helm pull oci://…` takes it. */
export function parseChartReference(ref: string): ChartReference {
  if (!ref.startsWith('oci://')) {
    throw new ChartshipError(`${JSON.stringify(ref)} is not an OCI chart reference`, { code: 'REFERENCE_INVALID', hint: 'write oci://HOST[:PORT]/NAMESPACE/CHART' });
  }
  let rest = ref;
  let digest: string | undefined;
  const at = rest.lastIndexOf('@');
  const firstSlash = rest.indexOf('/', 'oci://'.length);
  // An `@` before the path is userinfo, which parseOciTarget refuses without echoing it.
  if (firstSlash !== -1 && at > firstSlash) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new ChartshipError(`${JSON.stringify(digest)} is not a sha256 digest`, { code: 'REFERENCE_INVALID', hint: 'write @sha256:<64 hex digits>' });
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash && slash >= 'oci://'.length) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (tag === '') throw new ChartshipError(`${JSON.stringify(ref)} has an empty tag`, { code: 'REFERENCE_INVALID' });
  }
  const parsed = parseOciTarget(rest);
  const parts = parsed.namespace.split('/');
  const name = parts.pop() ?? '';
  if (name === '') {
    throw new ChartshipError(`${JSON.stringify(ref)} names no chart`, { code: 'REFERENCE_INVALID', hint: 'write oci://HOST[:PORT]/NAMESPACE/CHART' });
  }
  const location = { host: parsed.host, namespace: parts.join('/') };
  return {
    location,
    target: `oci://${location.host}${location.namespace ? `/${location.namespace}` : ''}`,
    name,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}
