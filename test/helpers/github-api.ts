/**
 * A local stand-in for GitHub's REST API, for tests: a node:http server on 127.0.0.1 that checks every request
 * against GitHub's published OpenAPI description (a pinned subset, see github-api-description.ts) and keeps comments, releases and commit → pull request links in
 * memory. A request the description does not allow is answered like GitHub would (404/400/422) AND recorded in
 * `violations`, which tests assert is empty; answers are checked too (`responseViolations`) so the fake cannot
 * drift from what octokit and our code get from the real thing.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiDescription, SUBSET_GENERATOR, type DescriptionName, type Operation } from './github-api-description.js';

export interface GitHubApiOptions {
  /** Path of the API root on the server: `''` like api.github.com, `/api/v3` like GitHub Enterprise Server. */
  prefix?: string;
  /** Description to check against; default `ghes-3.19` with a prefix, else `api.github.com`. */
  description?: DescriptionName;
  /** The one repository the server knows, `owner/repo`; others answer 404 like a private repository. */
  repository?: string;
  /** When set, requests must carry this token; others get 401 Bad credentials. */
  token?: string;
  /**
   * Who the token acts as, as GraphQL's `viewer { login }` answers it (`/graphql`, GHES `/api/graphql`): default
   * `github-actions[bot]`, a workflow's GITHUB_TOKEN; `null`: GraphQL refuses the token.
   */
  viewer?: string | null;
}

export interface RecordedRequest {
  method: string;
  /** Below the prefix, still percent-encoded. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  operationId?: string;
  status: number;
  /** Whether an Authorization header came along (its value is never recorded). */
  authenticated: boolean;
}

export interface Violation {
  method: string;
  path: string;
  operationId?: string;
  problems: string[];
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  login: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeRelease {
  id: number;
  tag_name: string;
  name: string | null;
  body: string | null;
  target_commitish: string;
  draft: boolean;
  prerelease: boolean;
  /** What the last create/update asked for (`'true'`, `'false'`, `'legacy'`), as GitHub keeps no such field. */
  make_latest?: string;
  created_at: string;
  /** Uploaded release assets (none when unset). */
  assets?: FakeAsset[];
}

export interface FakeAsset {
  id: number;
  name: string;
  label: string | null;
  content_type: string;
  data: Buffer;
  created_at: string;
}

export interface FakePull {
  number: number;
  state: 'open' | 'closed';
  merged?: boolean;
  title?: string;
  body?: string;
  /** Head branch (default `feature-NUMBER`), and whether it is a fork's. */
  head?: string;
  fork?: boolean;
  base?: string;
}

export interface ForcedFailure {
  status: number;
  message: string;
  headers?: Record<string, string>;
  /** Fail only this many times (default: always). */
  times?: number;
  /** Answer this many requests as usual first: a limit that lets some through (GitHub's ~80 creations a minute). */
  after?: number;
  /** Do what was asked first, then fail: a create that took effect but whose answer was lost (a 502 from a proxy). */
  afterEffect?: boolean;
  /** Close the connection instead of answering (`status` is only recorded): a connection reset. */
  drop?: boolean;
}

/** A workflow run of the repository, as actions/list-workflow-runs lists it. */
export interface FakeWorkflowRun {
  /** Runs are made in the order of their ids (`created_at` says so). */
  id: number;
  /** The workflow it is a run of (default 1). */
  workflowId?: number;
  headSha: string;
  /** Default `main`. */
  branch?: string;
  /** Default `push`. */
  event?: string;
  status: 'queued' | 'in_progress' | 'completed';
  /** Once completed: `success`, `failure`, `cancelled`… */
  conclusion?: string | null;
}

export interface FakeAttestation {
  id: number;
  bundle: Record<string, unknown>;
  /** `sha256:<hex>` of each subject of the in-toto statement in the bundle's DSSE envelope. */
  subjects: string[];
  /** Listed with this `bundle_url` and no inline `bundle`, as GitHub lists bundles it keeps in its blob storage. */
  bundleUrl?: string;
}

export interface GitHubApiState {
  comments: FakeComment[];
  attestations: FakeAttestation[];
  releases: FakeRelease[];
  /** Commit SHA → pull requests containing it; commits missing here answer 422 "No commit found". */
  commitPulls: Map<string, FakePull[]>;
  /** operationId (e.g. `repos/create-release`) → the error to answer instead. */
  failures: Map<string, ForcedFailure>;
  /** Pull requests of the repository (pulls/list, get, create, update); `merge` marks one merged at a commit. */
  pulls: FakePull[];
  /** Branches GitHub reports as protected (repos/get-branch); any other branch is unprotected. */
  protectedBranches: Set<string>;
  /**
   * The workflow runs. A run asked about by id that is not here is the one asking (it runs, so GitHub
   * knows it): a run of workflow 1 in progress.
   */
  workflowRuns: FakeWorkflowRun[];
  /** Marks an open pull request merged as `commit`, which then lists it as its pull request (as GitHub does). */
  merge(number: number, commit: string): void;
  addComment(issueNumber: number, body: string, login?: string): FakeComment;
}

export interface GitHubApi {
  /** API root to hand to the client, prefix included. */
  url: string;
  /** `http://127.0.0.1:PORT`, the "web" side that html_url values point to. */
  origin: string;
  requests: RecordedRequest[];
  violations: Violation[];
  responseViolations: Violation[];
  state: GitHubApiState;
  stop(): Promise<void>;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Close the connection without an answer. */
  drop?: boolean;
}

interface HandlerInput {
  operation: Operation;
  pathParams: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** Absolute URL of this request, for Link headers. */
  self: URL;
  /** The request body as sent (release asset uploads are raw bytes). */
  raw: Buffer;
  contentType?: string;
}

const BOT_LOGIN = 'github-actions[bot]';
const DOCS = 'https://docs.github.com/rest';

function error(status: number, message: string, extra: Record<string, unknown> = {}): Answer {
  return { status, body: { message, documentation_url: DOCS, status: String(status), ...extra } };
}

/**
 * GitHub refuses longer bodies (rules of the service, not of the description): 65,536 characters for a comment or a
 * pull request, 125,000 for a release. Measured as GitHub does, in characters.
 */
const BODY_LIMITS = { IssueComment: 65_536, PullRequest: 65_536, Release: 125_000 } as const;
const bodyTooLong = (resource: keyof typeof BODY_LIMITS, body: unknown): Answer | undefined =>
  typeof body === 'string' && [...body].length > BODY_LIMITS[resource]
    ? error(422, 'Validation Failed', { errors: [{ resource, code: 'custom', field: 'body', message: `body is too long (maximum is ${BODY_LIMITS[resource]} characters)` }] })
    : undefined;

export async function start(options: GitHubApiOptions = {}): Promise<GitHubApi> {
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  const description = ApiDescription.load(options.description ?? (prefix ? 'ghes-3.19' : 'api.github.com'));
  const checker = description.checker;
  const repository = options.repository ?? 'acme/charts';
  const requests: RecordedRequest[] = [];
  const violations: Violation[] = [];
  const responseViolations: Violation[] = [];
  let nextId = 1000;
  let origin = '';
  const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

  const state: GitHubApiState = {
    comments: [],
    attestations: [],
    releases: [],
    commitPulls: new Map(),
    failures: new Map(),
    pulls: [],
    protectedBranches: new Set(),
    workflowRuns: [],
    merge(number, commit) {
      const pull = state.pulls.find((p) => p.number === number);
      if (!pull || pull.state !== 'open') throw new Error(`pull request #${number} is not open`);
      pull.state = 'closed';
      pull.merged = true;
      state.commitPulls.set(commit, [...(state.commitPulls.get(commit) ?? []), pull]);
    },
    addComment(issueNumber, body, login = 'octocat') {
      const comment: FakeComment = { id: nextId++, issueNumber, body, login, createdAt: now(), updatedAt: now() };
      state.comments.push(comment);
      return comment;
    },
  };

  const samples = new Map<string, Record<string, unknown>>();
  const component = (name: string) => {
    if (!samples.has(name)) samples.set(name, checker.sample({ $ref: `#/components/schemas/${name}` }) as Record<string, unknown>);
    return structuredClone(samples.get(name)!);
  };
  const user = (login: string) => ({
    ...component('simple-user'),
    login,
    id: login === BOT_LOGIN ? 41898282 : 583231,
    type: login === BOT_LOGIN ? 'Bot' : 'User',
    html_url: `${origin}/${login}`,
  });
  const api = (path: string) => `${origin}${prefix}/repos/${repository}${path}`;
  const web = (path: string) => `${origin}/${repository}${path}`;

  const commentJson = (c: FakeComment) => ({
    ...component('issue-comment'),
    id: c.id,
    node_id: `IC_${c.id}`,
    url: api(`/issues/comments/${c.id}`),
    html_url: web(`/pull/${c.issueNumber}#issuecomment-${c.id}`),
    issue_url: api(`/issues/${c.issueNumber}`),
    body: c.body,
    user: user(c.login),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: c.login === BOT_LOGIN ? 'NONE' : 'MEMBER',
  });
  const download = (r: FakeRelease, a: FakeAsset) => `${origin}/${repository}/releases/download/${encodeURIComponent(r.tag_name)}/${encodeURIComponent(a.name)}`;
  const assetJson = (r: FakeRelease, a: FakeAsset) => ({
    ...component('release-asset'),
    url: api(`/releases/assets/${a.id}`),
    browser_download_url: download(r, a),
    id: a.id,
    node_id: `RA_${a.id}`,
    name: a.name,
    label: a.label,
    state: 'uploaded',
    content_type: a.content_type,
    size: a.data.length,
    digest: `sha256:${createHash('sha256').update(a.data).digest('hex')}`,
    download_count: 0,
    created_at: a.created_at,
    updated_at: a.created_at,
    uploader: user(BOT_LOGIN),
  });
  const releaseJson = (r: FakeRelease) => ({
    ...component('release'),
    id: r.id,
    node_id: `RE_${r.id}`,
    url: api(`/releases/${r.id}`),
    html_url: web(`/releases/tag/${encodeURIComponent(r.tag_name)}`),
    assets_url: api(`/releases/${r.id}/assets`),
    upload_url: `${origin}/uploads/repos/${repository}/releases/${r.id}/assets{?name,label}`,
    tarball_url: api(`/tarball/${encodeURIComponent(r.tag_name)}`),
    zipball_url: api(`/zipball/${encodeURIComponent(r.tag_name)}`),
    tag_name: r.tag_name,
    name: r.name,
    body: r.body,
    target_commitish: r.target_commitish,
    draft: r.draft,
    prerelease: r.prerelease,
    created_at: r.created_at,
    published_at: r.draft ? null : r.created_at,
    author: user(BOT_LOGIN),
    assets: (r.assets ?? []).map((a) => assetJson(r, a)),
  });
  const branchOf = (p: FakePull, side: 'head' | 'base', sample: Record<string, unknown>) => {
    const ref = side === 'head' ? (p.head ?? `feature-${p.number}`) : (p.base ?? 'main');
    const full = side === 'head' && p.fork ? `someone/${repository.split('/')[1]}` : repository;
    const [owner = '', name = ''] = full.split('/');
    const repo = { ...(sample['repo'] as Record<string, unknown>), name, full_name: full, owner: user(owner) };
    return { ...sample, label: `${owner}:${ref}`, ref, sha: 'f'.repeat(40), repo, user: user(owner) };
  };
  const pullJson = (p: FakePull, schema = 'pull-request-simple') => {
    const sample = component(schema);
    return {
      ...sample,
      id: 90000 + p.number,
      node_id: `PR_${p.number}`,
      number: p.number,
      state: p.state,
      title: p.title ?? `Pull request ${p.number}`,
      body: p.body ?? null,
      url: api(`/pulls/${p.number}`),
      html_url: web(`/pull/${p.number}`),
      head: branchOf(p, 'head', sample['head'] as Record<string, unknown>),
      base: branchOf(p, 'base', sample['base'] as Record<string, unknown>),
      merged_at: p.merged ? now() : null,
      closed_at: p.state === 'closed' ? now() : null,
      ...(schema === 'pull-request' ? { merged: Boolean(p.merged) } : {}),
    };
  };
  /** GitHub's page/per_page pagination with its Link header. */
  const paginate = <T>(items: T[], input: HandlerInput): Answer => {
    const perPage = Math.min(100, Math.max(1, Number(input.query.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(input.query.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number) => {
      const url = new URL(input.self);
      url.searchParams.set('page', String(n));
      return `<${url.href}>`;
    };
    const links: string[] = [];
    if (page > 1) links.push(`${link(page - 1)}; rel="prev"`);
    if (page < last) links.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
    if (page > 1) links.push(`${link(1)}; rel="first"`);
    return {
      status: 200,
      body: items.slice((page - 1) * perPage, page * perPage),
      headers: links.length > 0 ? { link: links.join(', ') } : {},
    };
  };

  const runCreated = (id: number) => new Date(Date.UTC(2024, 0, 1) + id * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  /** GitHub's `created` search qualifier, as chartship uses it: `<`, `<=`, `>`, `>=` a time, or that time. */
  const createdMatches = (created: string | null, id: number) => {
    const [, op = '', time = ''] = /^(<=|>=|<|>)?(.*)$/.exec(created ?? '') ?? [];
    if (created === null) return true;
    const order = Math.sign(Date.parse(runCreated(id)) - Date.parse(time));
    return { '<': order < 0, '<=': order <= 0, '>': order > 0, '>=': order >= 0, '': order === 0 }[op];
  };
  const runJson = (r: FakeWorkflowRun) => {
    const sample = component('workflow-run');
    const person = { name: 'Test Author', email: 'author@example.com' };
    const commit = { message: 'a commit', timestamp: runCreated(r.id), author: person, committer: person };
    return {
      ...sample,
      id: r.id,
      node_id: `WFR_${r.id}`,
      run_number: r.id,
      workflow_id: r.workflowId ?? 1,
      head_sha: r.headSha,
      head_branch: r.branch ?? 'main',
      event: r.event ?? 'push',
      status: r.status,
      conclusion: r.conclusion ?? null,
      path: '.github/workflows/charts.yml',
      head_commit: { ...commit, id: r.headSha, tree_id: r.headSha },
      url: api(`/actions/runs/${r.id}`),
      html_url: web(`/actions/runs/${r.id}`),
      created_at: runCreated(r.id),
      updated_at: runCreated(r.id),
      workflow_url: api(`/actions/workflows/${r.workflowId ?? 1}`),
      pull_requests: [],
    };
  };

  const findRelease = (id: number) => state.releases.find((r) => r.id === id);
  const applyRelease = (release: FakeRelease, body: Record<string, unknown>) => {
    for (const key of ['tag_name', 'name', 'body', 'target_commitish', 'draft', 'prerelease', 'make_latest'] as const) {
      if (body[key] !== undefined) (release as unknown as Record<string, unknown>)[key] = body[key];
    }
  };

  const handlers: Record<string, (input: HandlerInput) => Answer> = {
    'actions/get-workflow-run': (input) => {
      const id = Number(input.pathParams.run_id);
      const run = state.workflowRuns.find((r) => r.id === id) ?? { id, headSha: 'f'.repeat(40), status: 'in_progress' as const };
      return { status: 200, body: runJson(run) };
    },
    'actions/list-workflow-runs': (input) => {
      // The workflow by id, or by its file name as GitHub also takes it.
      const workflow = input.pathParams.workflow_id;
      const wanted = (key: string, value: string) => !input.query.has(key) || input.query.get(key) === value;
      const runs = state.workflowRuns.filter(
        (r) =>
          (String(r.workflowId ?? 1) === workflow || workflow === 'charts.yml') &&
          wanted('branch', r.branch ?? 'main') &&
          wanted('event', r.event ?? 'push') &&
          // `status` takes a status or a conclusion.
          (!input.query.has('status') || [r.status, r.conclusion].includes(input.query.get('status'))) &&
          wanted('head_sha', r.headSha) &&
          createdMatches(input.query.get('created'), r.id),
      );
      const page = paginate([...runs].sort((a, b) => b.id - a.id).map(runJson), input);
      return { ...page, body: { total_count: runs.length, workflow_runs: page.body } };
    },
    'issues/list-comments': (input) => {
      const issue = Number(input.pathParams.issue_number);
      return paginate(state.comments.filter((c) => c.issueNumber === issue).map(commentJson), input);
    },
    'issues/create-comment': (input) => {
      const tooLong = bodyTooLong('IssueComment', input.body.body);
      if (tooLong) return tooLong;
      const comment = state.addComment(Number(input.pathParams.issue_number), String(input.body.body), BOT_LOGIN);
      return { status: 201, body: commentJson(comment), headers: { location: api(`/issues/comments/${comment.id}`) } };
    },
    'issues/get-comment': (input) => {
      const comment = state.comments.find((c) => c.id === Number(input.pathParams.comment_id));
      return comment ? { status: 200, body: commentJson(comment) } : error(404, 'Not Found');
    },
    'issues/update-comment': (input) => {
      const comment = state.comments.find((c) => c.id === Number(input.pathParams.comment_id));
      if (!comment) return error(404, 'Not Found');
      const tooLong = bodyTooLong('IssueComment', input.body.body);
      if (tooLong) return tooLong;
      comment.body = String(input.body.body);
      comment.updatedAt = now();
      return { status: 200, body: commentJson(comment) };
    },
    'issues/delete-comment': (input) => {
      const index = state.comments.findIndex((c) => c.id === Number(input.pathParams.comment_id));
      if (index < 0) return error(404, 'Not Found');
      state.comments.splice(index, 1);
      return { status: 204 };
    },
    'repos/list-releases': (input) => paginate([...state.releases].reverse().map(releaseJson), input),
    'repos/get-release': (input) => {
      const release = findRelease(Number(input.pathParams.release_id));
      return release ? { status: 200, body: releaseJson(release) } : error(404, 'Not Found');
    },
    'repos/get-release-by-tag': (input) => {
      // Drafts have no tag yet, so GitHub does not find them by tag either.
      const release = state.releases.find((r) => r.tag_name === input.pathParams.tag && !r.draft);
      return release ? { status: 200, body: releaseJson(release) } : error(404, 'Not Found');
    },
    'repos/create-release': (input) => {
      const tooLong = bodyTooLong('Release', input.body.body);
      if (tooLong) return tooLong;
      const tag = String(input.body.tag_name);
      if (state.releases.some((r) => r.tag_name === tag)) {
        return error(422, 'Validation Failed', {
          errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
          documentation_url: 'https://docs.github.com/rest/releases/releases#create-a-release',
        });
      }
      const release: FakeRelease = {
        id: nextId++,
        tag_name: tag,
        name: null,
        body: null,
        target_commitish: 'main',
        draft: false,
        prerelease: false,
        created_at: now(),
        assets: [],
      };
      applyRelease(release, input.body);
      state.releases.push(release);
      return { status: 201, body: releaseJson(release), headers: { location: api(`/releases/${release.id}`) } };
    },
    'repos/update-release': (input) => {
      const release = findRelease(Number(input.pathParams.release_id));
      if (!release) return error(404, 'Not Found');
      const tooLong = bodyTooLong('Release', input.body.body);
      if (tooLong) return tooLong;
      applyRelease(release, input.body);
      return { status: 200, body: releaseJson(release) };
    },
    'repos/create-attestation': (input) => {
      // GitHub reads the subjects out of the statement the bundle signs; an envelope it cannot read is refused.
      const bundle = input.body.bundle as Record<string, unknown>;
      const payload = (bundle.dsseEnvelope as { payload?: unknown } | undefined)?.payload;
      let subjects: string[];
      try {
        const statement = JSON.parse(Buffer.from(String(payload), 'base64').toString('utf8')) as { subject?: { digest?: { sha256?: string } }[] };
        subjects = (statement.subject ?? []).flatMap((s) => (s.digest?.sha256 ? [`sha256:${s.digest.sha256}`] : []));
      } catch {
        subjects = [];
      }
      if (subjects.length === 0) return error(422, 'Validation Failed', { errors: [{ resource: 'Attestation', code: 'invalid', field: 'bundle' }] });
      const attestation: FakeAttestation = { id: nextId++, bundle, subjects };
      state.attestations.push(attestation);
      return { status: 201, body: { id: attestation.id } };
    },
    'repos/list-attestations': (input) => {
      const digest = decodeURIComponent(input.pathParams.subject_digest ?? '');
      const found = state.attestations.filter((a) => a.subjects.includes(digest));
      // GitHub answers a digest it holds no attestation about with 404, not an empty list (sharkdp/fd#1936: gh
      // attestation verify fails with "HTTP 404: Not Found" on an artifact that has none).
      if (found.length === 0) return error(404, 'Not Found');
      // GitHub pages attestations by cursor (`after`, given only in the Link header), not by page number.
      const perPage = Math.min(100, Math.max(1, Number(input.query.get('per_page') ?? 30) || 30));
      const from = input.query.has('after') ? Number(Buffer.from(input.query.get('after')!, 'base64url').toString()) : 0;
      const page = found.slice(from, from + perPage);
      const next = new URL(input.self);
      next.searchParams.set('after', Buffer.from(String(from + perPage)).toString('base64url'));
      const listed = page.map((a) => (a.bundleUrl ? { repository_id: 4242, bundle_url: a.bundleUrl } : { bundle: a.bundle, repository_id: 4242, bundle_url: `${origin}/attestations/${a.id}` }));
      const headers: Record<string, string> = from + perPage < found.length ? { link: `<${next.href}>; rel="next"` } : {};
      return { status: 200, body: { attestations: listed }, headers };
    },
    'repos/upload-release-asset': (input) => {
      const release = findRelease(Number(input.pathParams.release_id));
      if (!release) return error(404, 'Not Found');
      const name = input.query.get('name') ?? '';
      if ((release.assets ?? []).some((a) => a.name === name)) {
        return error(422, 'Validation Failed', { errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }] });
      }
      const asset: FakeAsset = { id: nextId++, name, label: input.query.get('label'), content_type: String(input.contentType ?? 'application/octet-stream'), data: input.raw, created_at: now() };
      (release.assets ??= []).push(asset);
      return { status: 201, body: assetJson(release, asset) };
    },
    'pulls/list': (input) => {
      const wanted = input.query.get('state') ?? 'open';
      const head = input.query.get('head');
      const base = input.query.get('base');
      const pulls = state.pulls.filter(
        (p) =>
          (wanted === 'all' || p.state === wanted) &&
          (head === null || (!p.fork && `${repository.split('/')[0]}:${p.head ?? `feature-${p.number}`}` === head)) &&
          (base === null || (p.base ?? 'main') === base),
      );
      return paginate([...pulls].reverse().map((p) => pullJson(p)), input);
    },
    'pulls/get': (input) => {
      const pull = state.pulls.find((p) => p.number === Number(input.pathParams.pull_number));
      return pull ? { status: 200, body: pullJson(pull, 'pull-request') } : error(404, 'Not Found');
    },
    'pulls/create': (input) => {
      const tooLong = bodyTooLong('PullRequest', input.body.body);
      if (tooLong) return tooLong;
      const head = String(input.body.head);
      const base = String(input.body.base);
      if (state.pulls.some((p) => p.state === 'open' && !p.fork && p.head === head && (p.base ?? 'main') === base)) {
        return error(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repository.split('/')[0]}:${head}.` }] });
      }
      const number = Math.max(100, ...state.pulls.map((p) => p.number), ...[...state.commitPulls.values()].flat().map((p) => p.number)) + 1;
      const pull: FakePull = { number, state: 'open', title: String(input.body.title), head, base, ...(typeof input.body.body === 'string' ? { body: input.body.body } : {}) };
      state.pulls.push(pull);
      return { status: 201, body: pullJson(pull, 'pull-request'), headers: { location: api(`/pulls/${number}`) } };
    },
    'pulls/update': (input) => {
      const pull = state.pulls.find((p) => p.number === Number(input.pathParams.pull_number));
      if (!pull) return error(404, 'Not Found');
      const tooLong = bodyTooLong('PullRequest', input.body.body);
      if (tooLong) return tooLong;
      if (typeof input.body.title === 'string') pull.title = input.body.title;
      if (typeof input.body.body === 'string') pull.body = input.body.body;
      if (input.body.state === 'closed' || input.body.state === 'open') {
        if (pull.merged) return error(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', code: 'custom', message: 'merged pull requests cannot be reopened or closed' }] });
        pull.state = input.body.state;
      }
      return { status: 200, body: pullJson(pull, 'pull-request') };
    },
    'repos/get-branch': (input) => {
      const name = decodeURIComponent(input.pathParams.branch ?? '');
      const sample = component('branch-with-protection');
      const isProtected = state.protectedBranches.has(name);
      return {
        status: 200,
        body: { ...sample, name, protected: isProtected, protection_url: api(`/branches/${encodeURIComponent(name)}/protection`), _links: { html: web(`/tree/${name}`), self: api(`/branches/${encodeURIComponent(name)}`) } },
      };
    },
    'repos/list-pull-requests-associated-with-commit': (input) => {
      const pulls = state.commitPulls.get(input.pathParams.commit_sha ?? '');
      if (!pulls) return error(422, `No commit found for SHA: ${input.pathParams.commit_sha}`);
      return paginate(pulls.map((p) => pullJson(p)), input);
    },
  };

  const readBody = async (req: IncomingMessage): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  const respond = async (req: IncomingMessage): Promise<{ answer: Answer; record: RecordedRequest; operation?: Operation }> => {
    const self = new URL(req.url ?? '/', origin);
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    // Uploads are raw bytes, recorded by size only.
    const upload = self.pathname.startsWith('/uploads/');
    const rawBody = upload ? '' : raw.toString('utf8');
    let parsed: unknown = upload ? (raw.length > 0 ? `${raw.length} bytes` : undefined) : rawBody === '' ? undefined : rawBody;
    try {
      if (rawBody !== '') parsed = JSON.parse(rawBody);
    } catch {
      // Recorded as text; the description check reports it.
    }
    const authorization = req.headers.authorization;
    // Release assets go to the upload host (`uploads.github.com`, GHES's `/api/uploads`), here the `/uploads` root.
    const path = upload ? self.pathname.slice('/uploads'.length) : self.pathname.startsWith(`${prefix}/`) || prefix === '' ? self.pathname.slice(prefix.length) : '';
    const record: RecordedRequest = {
      method,
      path: path || self.pathname,
      query: Object.fromEntries(self.searchParams),
      body: parsed,
      status: 0,
      authenticated: authorization !== undefined,
    };
    const violation = (problems: string[], operationId?: string) => violations.push({ method, path: record.path, operationId, problems });

    if (path === '') {
      violation([`${self.pathname} is outside the API root ${prefix}`]);
      return { answer: error(404, 'Not Found'), record };
    }
    const match = description.match(method, path);
    if (match.kind === 'no-path') {
      violation([`no operation in the description matches ${method} ${path}`]);
      return { answer: error(404, 'Not Found'), record };
    }
    if (match.kind === 'no-method') {
      violation([`${path} has no ${method} operation (it has ${match.allowed.join(', ')})`]);
      return { answer: error(404, 'Not Found'), record };
    }
    if (match.kind === 'not-in-subset') {
      record.operationId = match.operationId;
      violation(
        [`${match.operationId} is in GitHub's description but not in the checked-in subset ${ApiDescription.source}: add it to ${SUBSET_GENERATOR} and rerun it`],
        match.operationId,
      );
      return { answer: error(501, `${match.operationId} is not in the test server's description`), record };
    }
    const { operation, pathParams } = match;
    record.operationId = operation.operationId;

    const problems = description.problems(operation, { pathParams, query: self.searchParams, contentType: req.headers['content-type'], rawBody: upload ? raw.toString('latin1') : rawBody });
    if (upload && !req.headers['content-type']) problems.push('an upload needs the Content-Type of the asset');
    if (problems.length > 0) {
      violation(problems, operation.operationId);
      const unparsable = problems.some((p) => p.startsWith('the body is not JSON'));
      return { answer: unparsable ? error(400, 'Problems parsing JSON') : error(422, `Invalid request.\n\n${problems.join('\n')}`), record, operation };
    }

    const token = /^(?:token|bearer)\s+(.+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return { answer: error(401, 'Requires authentication'), record, operation };
    if (options.token !== undefined && token !== options.token) return { answer: error(401, 'Bad credentials'), record, operation };
    if (pathParams.owner !== undefined && `${pathParams.owner}/${pathParams.repo}`.toLowerCase() !== repository.toLowerCase()) {
      return { answer: error(404, 'Not Found'), record, operation };
    }

    const handler = handlers[operation.operationId];
    const body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    const handle = () => handler!({ operation, pathParams, query: self.searchParams, body, self, raw, contentType: req.headers['content-type'] });
    const forced = state.failures.get(operation.operationId);
    if (forced?.after) forced.after -= 1;
    else if (forced && (forced.times === undefined || forced.times > 0)) {
      if (forced.times !== undefined) forced.times -= 1;
      if (forced.afterEffect) handle();
      return { answer: { ...error(forced.status, forced.message), headers: forced.headers, drop: forced.drop }, record, operation };
    }
    if (!handler) {
      violation([`${operation.operationId} is valid but this fake does not implement it`], operation.operationId);
      return { answer: error(501, `${operation.operationId} is not implemented by the test server`), record, operation };
    }
    return { answer: handle(), record, operation };
  };

  /** Our own answers must match the description too, or tests would pass against a GitHub that does not exist. */
  const checkAnswer = (operation: Operation, record: RecordedRequest, answer: Answer) => {
    if (answer.status >= 300 || answer.body === undefined) return;
    const spec = checker.resolve<{ content?: Record<string, { schema?: unknown }> }>(operation.responses[String(answer.status)] ?? {});
    const schema = spec.content?.['application/json']?.schema;
    if (!spec.content && !operation.responses[String(answer.status)]) {
      responseViolations.push({ method: record.method, path: record.path, operationId: operation.operationId, problems: [`status ${answer.status} is not documented`] });
      return;
    }
    if (!schema) return;
    const problems = checker.check(schema, answer.body, 'response').map((p) => `${p.at}: ${p.message}`);
    if (problems.length > 0) responseViolations.push({ method: record.method, path: record.path, operationId: operation.operationId, problems });
  };

  /** GraphQL, which is not in the REST description: only `viewer { login }`, anything else is a violation. */
  const graphql = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = (await readBody(req)).toString('utf8');
    const record: RecordedRequest = { method: req.method ?? 'GET', path: '/graphql', query: {}, body: raw, operationId: 'graphql', status: 200, authenticated: req.headers.authorization !== undefined };
    let query: unknown;
    try {
      query = (JSON.parse(raw) as { query?: unknown }).query;
    } catch {
      query = undefined;
    }
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    let answer: Answer = { status: 200, body: { data: { viewer: { login: options.viewer ?? BOT_LOGIN } } } };
    if (record.method !== 'POST' || typeof query !== 'string' || !/^\s*(query\s*)?\{\s*viewer\s*\{\s*login\s*\}\s*\}\s*$/.test(query)) {
      violations.push({ method: record.method, path: record.path, operationId: 'graphql', problems: [`the fake GraphQL answers only \`query { viewer { login } }\`, not ${raw}`] });
      answer = error(400, 'Problems parsing JSON');
    } else if (!token || (options.token !== undefined && token !== options.token)) answer = error(401, 'Bad credentials');
    else if (options.viewer === null) answer = error(403, 'Resource not accessible by integration');
    record.status = answer.status;
    requests.push(record);
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(answer.body));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (new URL(req.url ?? '/', origin).pathname === `${prefix.replace(/\/v3$/, '')}/graphql`) {
      void graphql(req, res);
      return;
    }
    // Release asset downloads, as browser_download_url names them (github.com redirects to its storage; served here).
    const asset = new RegExp(`^/${repository}/releases/download/([^/]+)/([^/]+)$`).exec(new URL(req.url ?? '/', origin).pathname);
    if (asset && req.method === 'GET') {
      const found = state.releases.find((r) => r.tag_name === decodeURIComponent(asset[1]!))?.assets?.find((a) => a.name === decodeURIComponent(asset[2]!));
      res.writeHead(found ? 200 : 404, { 'content-type': found?.content_type ?? 'text/plain' });
      res.end(found?.data ?? 'Not Found');
      return;
    }
    respond(req)
      .then(({ answer, record, operation }) => {
        record.status = answer.status;
        requests.push(record);
        if (answer.drop) {
          res.socket?.destroy();
          return;
        }
        if (operation) checkAnswer(operation, record, answer);
        const headers: Record<string, string> = { 'x-github-media-type': 'github.v3; format=json', ...answer.headers };
        if (answer.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
        res.writeHead(answer.status, headers);
        res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
      })
      .catch((failure: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `test server failure: ${String(failure)}` }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}${prefix}`,
    origin,
    requests,
    violations,
    responseViolations,
    state,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Same as `start`, under a name that says what starts. */
export const startGitHubApi = start;
