import { registryKind } from './hosts.js';

/** A refusal as the registry (or its token server) gave it. */
export interface Refusal {
  status: number;
  /** OCI error code, or a status-derived one. */
  code: string;
  /** The registry's own words. */
  message?: string;
}

/**
 * What to do about a refusal that a registry's documented behaviour explains; undefined when none does. Read from
 * the host (cloud registries) and from the registry's own words (self-hosted Harbor has no telling host name).
 */
export function registryHint(host: string, refusal: Refusal): string | undefined {
  const { status, code } = refusal;
  const said = refusal.message ?? '';
  const denied = status === 401 || status === 403 || code === 'UNAUTHORIZED' || code === 'DENIED';
  // A missing repository, not a missing blob or manifest (BLOB_UNKNOWN, MANIFEST_UNKNOWN keep their own meaning).
  const unknown = code === 'NAME_UNKNOWN' || code === 'NOT_FOUND' || (status === 404 && code === 'HTTP_404');
  // Harbor 2.x: its project controller answers "project <name> not found" (goharbor/harbor
  // src/controller/project/controller.go); a push into a project that is missing, or where the user has no role, is
  // refused with "unauthorized to access repository: <repo>, action: push: …" (goharbor/harbor#13553, #20544:
  // "You need to create a namespace(project) before pushing").
  if (/project\b.*\bnot found/i.test(said)) return 'create the project in Harbor first (Projects → New Project): Harbor does not create projects on push';
  if (/unauthorized to access repository: .*action: push/i.test(said)) {
    return 'Harbor: the project (the first path component) must exist, and this user or robot account needs the Developer role or higher in it';
  }
  switch (registryKind(host)) {
    case 'ecr':
      // ECR: "The repository with name '…' does not exist in the registry with id '…'" (404 NAME_UNKNOWN); pushing
      // never creates one (AWS docs, "Pushing a Helm chart": aws ecr create-repository first).
      if (unknown) return 'ECR does not create repositories on push: set create-repositories: true (CLI --create-repositories), or create it with aws ecr create-repository';
      if (denied) return 'ECR: the AWS identity needs ecr:GetAuthorizationToken and push rights (ecr:InitiateLayerUpload, ecr:PutImage, …) on the repository';
      return undefined;
    case 'gar':
      // Artifact Registry: the repository (the path component after the project) must exist (cloud.google.com,
      // "Configuring Helm authentication for Artifact Registry": "If a repository for your charts does not exist,
      // create a new repository"); logins are `oauth2accesstoken` with an access token or `_json_key` /
      // `_json_key_base64` with a service-account key.
      if (unknown) return 'create the Artifact Registry repository first (gcloud artifacts repositories create REPOSITORY --repository-format=docker): write oci://LOCATION-docker.pkg.dev/PROJECT/REPOSITORY';
      if (denied) return 'Artifact Registry: log in as oauth2accesstoken with an access token, or as _json_key (or _json_key_base64) with a service-account key; the account needs roles/artifactregistry.writer';
      return undefined;
    case 'quay':
      // Quay grants a token without push when the namespace does not exist (unless CREATE_NAMESPACE_ON_PUSH is on,
      // which quay.io does not do; quay/quay endpoints/v2/v2auth.py), so the push itself is refused with 401.
      if (denied) return 'Quay: the organisation (the first path component) must exist, and the user or robot account (written org+name) needs write permission on it';
      return undefined;
    case 'ghcr':
      if (denied) return 'GHCR: GITHUB_TOKEN needs `permissions: packages: write`, and an existing package must grant this repository write access (package settings → Manage Actions access)';
      return undefined;
    case 'acr':
      if (denied) return 'ACR: the identity needs the AcrPush role; log in with the admin user, a service principal, or username 00000000-0000-0000-0000-000000000000 with a token from az acr login --expose-token or an Entra ID access token';
      return undefined;
    case 'alibaba':
      if (unknown) return 'Alibaba Cloud ACR: create the namespace in the instance first (or turn on automatic repository creation for it)';
      return undefined;
    case 'docker-hub':
      if (status === 429) return 'Docker Hub limits pulls per 6 hours per IP or account: log in (a Docker Hub account raises the limit, a paid plan lifts it) or wait for the reset';
      if (denied) return 'Docker Hub: the namespace must be your Docker ID or an organisation you may push to; log in with a personal access token';
      return undefined;
    default:
      return undefined;
  }
}
