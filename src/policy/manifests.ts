import { parseAllDocuments } from 'yaml';
import { LINE_MARK } from './template-lines.js';

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
  /** The template line its `imagePullSecrets:` (else `containers:`) came from, when a mark says (template-lines.ts). */
  line?: number;
}

export interface RenderedImage {
  image: string;
  container: string;
  /** `containers`, `initContainers` or `ephemeralContainers`. */
  list: string;
  /** Position of this image among those rendered from the same source. */
  ordinal: number;
  /** The template line its `image:` came from, when a mark says. */
  line?: number;
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

function podSpecPath(doc: Obj): string[] | undefined {
  const known = POD_SPEC_PATHS[scalarText(doc['kind'])];
  if (known) return known;
  // Other kinds that embed a pod template the usual way (Argo Rollouts, OpenKruise workloads, …).
  const path = ['spec', 'template', 'spec'];
  return Array.isArray(obj(at(doc, ...path))?.['containers']) ? path : undefined;
}

/** The template line a node's mark names: a value's comment (`image: x #…`), or before a block (`containers: #…`). */
function marked(node: unknown): number | undefined {
  const { comment, commentBefore } = (node ?? {}) as { comment?: string; commentBefore?: string };
  const found = LINE_MARK.exec(`${comment} ${commentBefore}`);
  return found ? Number(found[1]) : undefined;
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
    const path = value && podSpecPath(value);
    const spec = path && obj(at(value, ...path));
    if (!path || !spec) continue;
    const ordinal = podCount.get(source) ?? 0;
    podCount.set(source, ordinal + 1);
    const images: RenderedImage[] = [];
    // In the order the rendered spec has them, which is the template's: most charts write initContainers first, some
    // (helm/charts' neo4j test pod) containers first, and a finding's line is found by its place among the images.
    for (const list of Object.keys(spec).filter((key) => CONTAINER_LISTS.includes(key))) {
      const containers = spec[list];
      if (!Array.isArray(containers)) continue;
      containers.forEach((container, i) => {
        const image = obj(container)?.['image'];
        if (typeof image !== 'string') return;
        const n = imageCount.get(source) ?? 0;
        imageCount.set(source, n + 1);
        images.push({ image, container: scalarText(obj(container)?.['name']), list, ordinal: n, line: marked(doc.getIn([...path, list, i, 'image'], true)) });
      });
    }
    const line = marked(doc.getIn([...path, 'imagePullSecrets'], true)) ?? marked(doc.getIn([...path, 'containers'], true));
    pods.push({ source, kind: scalarText(value['kind']), name: scalarText(at(value, 'metadata', 'name')), ordinal, imagePullSecrets: spec['imagePullSecrets'], images, line });
  }
  return pods;
}
