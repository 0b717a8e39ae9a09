/**
 * Charts shaped like the public ones a platform's chart requirements are written for (AOSM): a global registry
 * value every image is built from, pull secrets from values, a values.schema.json, workloads of several kinds, a
 * helper template for the image. `compliantChart` passes every rule; each other chart breaks exactly one.
 */

export const ALLOWED_REGISTRY = 'registry.acme.example';

type Files = Record<string, string>;

interface Options {
  chartYaml?: string;
  values?: string;
  schema?: string | null;
  deployment?: string;
  extraTemplates?: Files;
}

const METADATA = (name: string) => `apiVersion: v2
name: ${name}
description: A web service of the acme platform
type: application
version: 1.0.0
appVersion: "1.4.2"
kubeVersion: ">=1.25.0-0"
icon: https://acme.example/icons/${name}.svg
home: https://acme.example/${name}
sources:
  - https://github.com/acme/${name}
maintainers:
  - name: Platform Team
    email: platform@acme.example
`;

export const VALUES = `global:
  # The registry every image is pulled from: a platform mirrors the images and sets its own.
  registryPath: ${ALLOWED_REGISTRY}
  imagePullSecrets: []
image:
  repository: acme/web
  tag: "1.4.2"
  pullPolicy: IfNotPresent
migrations:
  repository: acme/web-migrate
  tag: "1.4.2"
replicaCount: 2
service:
  port: 8080
`;

export const SCHEMA = JSON.stringify(
  {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    required: ['global', 'image', 'replicaCount'],
    properties: {
      global: {
        type: 'object',
        properties: {
          registryPath: { type: 'string', minLength: 1 },
          imagePullSecrets: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
        },
      },
      image: { $ref: '#/definitions/image' },
      migrations: { $ref: '#/definitions/image' },
      replicaCount: { type: 'integer', minimum: 1 },
      service: { type: 'object', properties: { port: { type: 'integer' } } },
    },
    definitions: {
      image: { type: 'object', required: ['repository', 'tag'], properties: { repository: { type: 'string' }, tag: { type: 'string' }, pullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] } } },
    },
  },
  null,
  2,
);

const HELPERS = `{{/* The image reference, always from the global registry value. */}}
{{- define "acme.image" -}}
{{- printf "%s/%s:%s" .global.registryPath .image.repository .image.tag -}}
{{- end -}}

{{- define "acme.pullSecrets" -}}
{{- with .Values.global.imagePullSecrets }}
imagePullSecrets:
{{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      {{- include "acme.pullSecrets" . | nindent 6 }}
      initContainers:
        - name: migrate
          image: {{ include "acme.image" (dict "global" .Values.global "image" .Values.migrations) }}
      containers:
        - name: web
          image: {{ include "acme.image" (dict "global" .Values.global "image" .Values.image) }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - containerPort: {{ .Values.service.port }}
`;

const CRONJOB = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: {{ .Release.Name }}-cleanup
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          {{- include "acme.pullSecrets" . | nindent 10 }}
          restartPolicy: OnFailure
          containers:
            - name: cleanup
              image: {{ include "acme.image" (dict "global" .Values.global "image" .Values.image) }}
              args: ["cleanup"]
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-web
spec:
  ports:
    - port: {{ .Values.service.port }}
`;

/** The files of a chart at `dir`, compliant unless an option breaks it. */
export function policyChart(dir: string, name: string, options: Options = {}): Files {
  const files: Files = {
    [`${dir}/Chart.yaml`]: options.chartYaml ?? METADATA(name),
    [`${dir}/values.yaml`]: options.values ?? VALUES,
    [`${dir}/templates/_helpers.tpl`]: HELPERS,
    [`${dir}/templates/deployment.yaml`]: options.deployment ?? DEPLOYMENT,
    [`${dir}/templates/cronjob.yaml`]: CRONJOB,
    [`${dir}/templates/service.yaml`]: SERVICE,
  };
  if (options.schema !== null) files[`${dir}/values.schema.json`] = options.schema ?? SCHEMA;
  for (const [path, text] of Object.entries(options.extraTemplates ?? {})) files[`${dir}/templates/${path}`] = text;
  return files;
}

export const compliantChart = (dir: string, name: string): Files => policyChart(dir, name);

/** One chart per rule, each breaking that rule only; `where` is the file:line:col the finding must name. */
export const FAILING = {
  'values-schema': {
    name: 'bad-values',
    files: (dir: string) => policyChart(dir, 'bad-values', { values: VALUES.replace('replicaCount: 2', 'replicaCount: two') }),
    where: 'values.yaml:12:1',
    says: /replicaCount must be integer/,
  },
  'image-registry-configurable': {
    name: 'fixed-registry',
    files: (dir: string) =>
      policyChart(dir, 'fixed-registry', {
        // A sidecar written into the template: the platform cannot redirect it to its mirror.
        deployment: DEPLOYMENT.replace('      containers:\n', `      containers:\n        - name: proxy\n          image: ${ALLOWED_REGISTRY}/acme/proxy:2.1.0\n`),
      }),
    where: 'templates/deployment.yaml:21:18',
    says: /image registry\.acme\.example\/acme\/proxy:2\.1\.0 \(Deployment chartship-web, containers proxy\) does not take its registry from values/,
  },
  'image-pull-secrets-configurable': {
    name: 'no-secrets',
    files: (dir: string) => policyChart(dir, 'no-secrets', { deployment: DEPLOYMENT.replace('      {{- include "acme.pullSecrets" . | nindent 6 }}\n', '') }),
    where: 'templates/deployment.yaml:18:7',
    says: /the pod spec of Deployment chartship-web does not take imagePullSecrets from values/,
  },
  'immutable-image-tags': {
    name: 'moving-tag',
    files: (dir: string) => policyChart(dir, 'moving-tag', { values: VALUES.replace('  repository: acme/web-migrate\n  tag: "1.4.2"', '  repository: acme/web-migrate\n  tag: latest') }),
    where: 'templates/deployment.yaml:18:11',
    says: /image registry\.acme\.example\/acme\/web-migrate:latest \(Deployment chartship-web\) has the mutable tag "latest"/,
  },
  'no-external-registry': {
    name: 'external',
    files: (dir: string) => policyChart(dir, 'external', { values: VALUES.replace(`registryPath: ${ALLOWED_REGISTRY}`, 'registryPath: docker.io') }),
    where: 'templates/deployment.yaml:18:11',
    says: /image docker\.io\/acme\/web-migrate:1\.4\.2 \(Deployment chartship-web\) is pulled from docker\.io, which is not an allowed registry/,
  },
  'chart-metadata': {
    name: 'bare',
    files: (dir: string) => policyChart(dir, 'bare', { chartYaml: 'apiVersion: v2\nname: bare\nversion: 1.0.0\nappVersion: "1.4.2"\n' }),
    where: 'Chart.yaml:1:1',
    says: /Chart\.yaml has no description \(one line on what the chart deploys\)/,
  },
} as const;

/**
 * A repository's two commits for the end-to-end policy runs: a start, then web and api (compliant) and moving-tag
 * (a `latest` image) with the allow-list in .chartship.yaml. Returns both shas.
 */
export function commitPolicyCharts(repo: { commit(message: string, files: Files): string }): { base: string; head: string } {
  const moving = FAILING['immutable-image-tags'];
  const base = repo.commit('chore: start', { 'README.md': '# charts\n' });
  const head = repo.commit('feat: three charts', {
    ...compliantChart('charts/web', 'web'),
    ...compliantChart('charts/api', 'api'),
    ...moving.files(`charts/${moving.name}`),
    '.chartship.yaml': `policy:\n  rules:\n    no-external-registry:\n      allowed-registries: [${ALLOWED_REGISTRY}]\n`,
  });
  return { base, head };
}
