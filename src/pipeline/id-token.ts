import { systemClock } from '../model/clock.js';
import { ChartshipError } from '../model/errors.js';
import { retrying, type RetryPolicy } from '../model/retry.js';
import { firstRetryWaitMs } from '../sign/attest/sign.js';
import { ProxyAwareDispatcher } from '../oci/proxy.js';
import { loadUndici } from '../oci/undici.js';

/** Each attempt waits this long for an answer; a network error or a 5xx is tried again, three attempts in all. */
const WAIT_MS = 30_000;
/** The pauses between attempts are short: the deadline is the waits themselves, each bounded by `waitMs`. */
const POLICY = (): RetryPolicy => ({ attempts: 3, baseDelayMs: firstRetryWaitMs(1_000), maxDelayMs: 3_000, deadlineMs: Number.POSITIVE_INFINITY });

/** An attempt that got no token and may get one next time: no answer, or a 5xx. */
class Unanswered extends Error {}

/**
 * A fresh GitHub Actions ID token (audience `sigstore`, what @actions/core's getIDToken asks for), for the action and
 * the CLI alike. Not getIDToken itself: its request has no timeout, so an endpoint that never answers held the step
 * until the job's own limit (hours). Here every wait is bounded, the attempts go through the project's one retry
 * loop, and the proxy the environment names is used, as the runner's own requests use it (a self-hosted runner may
 * reach its token service only through it).
 */
export async function actionsIdToken(endpoint: string, bearer: string, env: NodeJS.ProcessEnv, waitMs = WAIT_MS): Promise<string> {
  const url = new URL(endpoint);
  url.searchParams.set('audience', 'sigstore');
  // undici is read here, not at start: a publish that never attests (or reaches no network) does without it.
  const { request } = await loadUndici();
  let attempts = 0;
  const attempt = async (): Promise<string> => {
    attempts++;
    const proxy = new ProxyAwareDispatcher({}, env);
    try {
      const response = await request(url, { dispatcher: await proxy.for(url), headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' }, headersTimeout: waitMs, bodyTimeout: waitMs });
      const text = await response.body.text();
      if (response.statusCode === 200) return tokenIn(text);
      if (response.statusCode < 500) {
        throw new ChartshipError(`the GitHub Actions token endpoint answered HTTP ${response.statusCode}`, { code: 'OIDC_TOKEN_MISSING', hint: 'grant the job `permissions: id-token: write`' });
      }
      throw new Unanswered(`answered HTTP ${response.statusCode}`);
    } catch (error) {
      if (error instanceof ChartshipError || error instanceof Unanswered) throw error;
      const code = (error as { code?: string }).code ?? '';
      throw new Unanswered(/TIMEOUT/.test(code) ? `did not answer within ${waitMs / 1000} s` : `could not be reached (${(error as Error).message})`);
    } finally {
      await proxy.close();
    }
  };
  try {
    return await retrying(attempt, (outcome) => ('error' in outcome && outcome.error instanceof Unanswered ? { reason: outcome.error.message, failed: true } : undefined), { policy: POLICY(), clock: systemClock });
  } catch (error) {
    if (!(error instanceof Unanswered)) throw error;
    throw new ChartshipError(`the GitHub Actions token endpoint ${error.message}, ${attempts} times`, { code: 'OIDC_TOKEN_UNAVAILABLE', hint: 'run again: nothing was signed, and a rerun attests what is missing' });
  }
}

function tokenIn(text: string): string {
  let value: unknown;
  try {
    value = (JSON.parse(text) as { value?: unknown }).value;
  } catch {
    value = undefined;
  }
  if (typeof value !== 'string' || value === '') throw new ChartshipError('the GitHub Actions token endpoint answered no token', { code: 'OIDC_TOKEN_MISSING' });
  return value;
}

/**
 * Who a GitHub Actions job signs as, from the runner's variables alone. Fulcio names it by the workflow that runs
 * (`job_workflow_ref`); the runner names the workflow it started (GITHUB_WORKFLOW_REF), the same one unless that
 * calls a reusable workflow (a rerun then asks for the token to know). The issuer is GitHub's token service on
 * github.com; elsewhere, or for another Sigstore instance, it is left to the instance's certificate.
 */
export function runnerSigner(env: NodeJS.ProcessEnv, serverUrl: string, otherInstance: boolean): { issuer?: string; identity: string } | undefined {
  const workflow = env['GITHUB_WORKFLOW_REF'];
  if (!workflow || !URL.canParse(serverUrl)) return undefined;
  const github = new URL(serverUrl).hostname === 'github.com' && !otherInstance;
  return { identity: `${serverUrl.replace(/\/+$/, '')}/${workflow}`, ...(github ? { issuer: 'https://token.actions.githubusercontent.com' } : {}) };
}
