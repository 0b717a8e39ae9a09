import { parseAllDocuments } from 'yaml';

/**
 * The pod specs in what `helm template` printed, each with the template it came from (helm's `# Source:` line) and
 * its place among the pod specs and images of that template, which is how a finding finds its line again.
 */
export interface RenderedPodSpec {
  /** `mychart/templates/deployment.yaml`, as helm's `# Source:` line names it. */
  source: string;
  kind: string;
  name: string;
  /** Position of this pod spec among those rendered from `source`. */
  ordinal: number;
  imagePullSecrets: unknown;
  images: RenderedImage[];
}

export interface RenderedImage {
  image: string;
  container: string;
  /** `containers`, `initContainers` or `ephemeralContainers`. */
  list: string;
  /** Position of this image among those rendered from the same source. */
  ordinal: number;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
const at = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((o, k) => obj(o)?.[k], v);

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'];

/** A scalar of rendered YAML as text; anything else (a mapping where a name belongs) is no name at all. */
function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

function podSpecOf(doc: Obj): Obj | undefined {
  const kind = scalarText(doc['kind']);
  const known = POD_SPEC_PATHS[kind];
  if (known) return obj(at(doc, ...known));
  // Other kinds that embed a pod template the usual way (Argo Rollouts, OpenKruise workloads, …).
  const template = obj(at(doc, 'spec', 'template', 'spec'));
  return template && Array.isArray(template['containers']) ? template : undefined;
}

/**
 * A document that names neither a kind with a pod spec nor a container list holds no pod spec: it is not parsed
 * (most of what a chart renders is Services, ConfigMaps, RBAC, and parsing is most of this reader's time).
 */
const MAY_HOLD_POD = new RegExp(`containers|\\b(?:${Object.keys(POD_SPEC_PATHS).join('|')})\\b`);

export function readRenderedPods(text: string): RenderedPodSpec[] {
  const pods: RenderedPodSpec[] = [];
  const podCount = new Map<string, number>();
  const imageCount = new Map<string, number>();
  // helm starts every document with a `---` line; one that a template prints itself is a document boundary as well.
  const chunks = text.split(/^(?=---(?:[ \t]|$))/m).filter((chunk) => MAY_HOLD_POD.test(chunk));
  for (const chunk of chunks) for (const doc of parseAllDocuments(chunk)) {
    const source = /^# Source: (.+)$/m.exec(chunk.slice(doc.range[0], doc.range[1]))?.[1]?.trim() ?? '';
    const value = obj(doc.toJS());
    const spec = value && podSpecOf(value);
    if (!value || !spec) continue;
    const ordinal = podCount.get(source) ?? 0;
    podCount.set(source, ordinal + 1);
    const images: RenderedImage[] = [];
    // In the order the rendered spec has them, which is the template's: most charts write initContainers first, some
    // (helm/charts' neo4j test pod) containers first, and a finding's line is found by its place among the images.
    for (const list of Object.keys(spec).filter((key) => CONTAINER_LISTS.includes(key))) {
      const containers = spec[list];
      if (!Array.isArray(containers)) continue;
      for (const container of containers) {
        const image = obj(container)?.['image'];
        if (typeof image !== 'string') continue;
        const n = imageCount.get(source) ?? 0;
        imageCount.set(source, n + 1);
        images.push({ image, container: scalarText(obj(container)?.['name']), list, ordinal: n });
      }
    }
    pods.push({ source, kind: scalarText(value['kind']), name: scalarText(at(value, 'metadata', 'name')), ordinal, imagePullSecrets: spec['imagePullSecrets'], images });
  }
  return pods;
}
