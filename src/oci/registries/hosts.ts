/**
 * What a registry's host name alone says about it. Each well-known registry has a documented quirk that generic
 * OCI code trips on; the modules next to this one handle them, keyed by the kind found here.
 */
export type RegistryKind = 'docker-hub' | 'ghcr' | 'ecr' | 'acr' | 'gar' | 'quay' | 'alibaba' | 'other';

/**
 * Docker Hub answers under several names: `docker.io` (what users write, and what `helm push` prints back),
 * `index.docker.io` (the v1 name its credentials are still filed under) and `registry-1.docker.io` (where the
 * registry API actually lives; docker/cli's `DefaultRegistryHost`).
 */
const DOCKER_HUB_NAMES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
const DOCKER_HUB_API = 'registry-1.docker.io';
/** The key docker/cli files Docker Hub logins under, in config.json and in credential helpers. */
export const DOCKER_HUB_CONFIG_KEY = 'https://index.docker.io/v1/';

/**
 * ECR's registry host: `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]` (AWS docs, "Amazon ECR private
 * registry": registry URL https://aws_account_id.dkr.ecr.region.amazonaws.com).
 */
const ECR = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
/** Azure Container Registry login servers in the public, China and US government clouds. */
const ACR = /\.azurecr\.(?:io|cn|us)$/;
/** Artifact Registry (`LOCATION-docker.pkg.dev`) and the Container Registry names it serves (`gcr.io`, `eu.gcr.io`, …). */
const GAR = /(?:^|\.|-)docker\.pkg\.dev$|^(?:[a-z]+\.)?gcr\.io$/;
/**
 * Alibaba Cloud Container Registry: Enterprise Edition instances at `<instance>-registry[-vpc].<region>.cr.aliyuncs.com`,
 * the Personal Edition at `registry[-vpc|-intl].<region>.aliyuncs.com`.
 */
const ALIBABA = /\.cr\.aliyuncs\.com$|^registry(?:-intl)?(?:-vpc)?\.[a-z0-9-]+\.aliyuncs\.com$/;

function hostname(host: string): string {
  return host.replace(/:\d+$/, '').toLowerCase();
}

export function registryKind(host: string): RegistryKind {
  const name = hostname(host);
  if (DOCKER_HUB_NAMES.has(name)) return 'docker-hub';
  if (name === 'ghcr.io') return 'ghcr';
  if (ECR.test(name)) return 'ecr';
  if (ACR.test(name)) return 'acr';
  if (GAR.test(name)) return 'gar';
  if (name === 'quay.io') return 'quay';
  if (ALIBABA.test(name)) return 'alibaba';
  return 'other';
}

/** Where the registry API of `host` is: Docker Hub's names all lead to registry-1.docker.io; every other host is its own. */
export function apiHost(host: string): string {
  return registryKind(host) === 'docker-hub' ? DOCKER_HUB_API : host;
}

/** The one name per-host settings (credentials, TLS) are filed under: Docker Hub's names are one registry. */
export function hostKey(host: string): string {
  const lower = host.toLowerCase();
  return registryKind(lower) === 'docker-hub' ? 'docker.io' : lower;
}

/** Every name a config file may file `host`'s login under (besides URL forms of it, which lookups normalise). */
export function configNames(host: string): string[] {
  return registryKind(host) === 'docker-hub' ? [DOCKER_HUB_CONFIG_KEY, ...DOCKER_HUB_NAMES] : [host];
}

/** The server URL a credential helper is asked about. */
export function helperServerUrl(host: string): string {
  return registryKind(host) === 'docker-hub' ? DOCKER_HUB_CONFIG_KEY : host;
}

/** The account and region an ECR host belongs to. */
export function ecrRegistry(host: string): { account: string; region: string } | undefined {
  const match = ECR.exec(hostname(host));
  return match ? { account: match[1]!, region: match[2]! } : undefined;
}
