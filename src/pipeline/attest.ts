import type { ChartTarget, PushResult } from '../helm-oci/index.js';
import { ChartshipError, describeError } from '../model/errors.js';
import type { ChartAttestation, RegistryAttestation } from '../model/plan.js';
import { shellWord } from '../report/markdown.js';
import type { BuildContext } from '../sign/attest/provenance.js';
import type { GitHubClient } from './github.js';
import type { Log } from './log.js';

/** Where GitHub keeps attestations for `gh attestation verify` (POST /repos/{owner}/{repo}/attestations). */
export type AttestationRecorder = Pick<GitHubClient, 'createAttestation'>;

export interface AttestSettings {
  /** An OIDC ID token with audience `sigstore`, fresh for each chart (tokens live minutes). */
  idToken: () => Promise<string>;
  /** `public-good` or `github`, as @actions/attest picks them. */
  sigstore: 'public-good' | 'github';
  signingConfigFile?: string;
  trustedRootFile?: string;
  context: BuildContext;
  /** On GitHub, with `attestations: write`: also record each bundle there. */
  recorder?: AttestationRecorder;
  /** `owner/repo` on GitHub, for the `gh attestation verify` command. */
  repository?: string;
  now?: () => Date;
}

export interface ChartPushes {
  name: string;
  version: string;
  archive: { fileName: string; sha256: string };
  pushes: { target: ChartTarget; result: PushResult }[];
}

export interface Attester {
  attest(chart: ChartPushes, log: Log): Promise<{ registries: RegistryAttestation[]; chart?: ChartAttestation }>;
}

/** Some registries refused the attestation: `registries` says what each one holds (none where it is unset). */
export class AttestationIncomplete extends ChartshipError {
  constructor(
    readonly registries: (RegistryAttestation | undefined)[],
    message: string,
  ) {
    super(message, { code: 'ATTESTATION_INCOMPLETE', hint: 'the chart is pushed; run again to attest it where it is missing (nothing is pushed or attested twice)' });
  }
}

type AttestModule = typeof import('../sign/attest/index.js');

/** The referrer annotation that says what a Sigstore bundle attests (as cosign and actions/attest write it). */
const PREDICATE_TYPE = 'dev.sigstore.bundle.predicateType';

/**
 * Attests pushed charts: one in-toto statement per chart (SLSA build provenance about the chart manifest in every
 * registry and the chart archive), signed once through Sigstore, stored in each registry as a referrer of the chart
 * manifest, recorded in GitHub's attestations API where there is one, then read back from each registry and
 * verified against the instance's trust root before anything reports it. A registry that already holds an
 * attestation for an unchanged chart keeps it: a rerun signs only what is missing.
 */
export async function openAttester(settings: AttestSettings): Promise<Attester> {
  // The Sigstore stack is loaded only on this path.
  const attest: AttestModule = await import('../sign/attest/index.js');
  const { verifyChartAttestations } = await import('./attest-verify.js');
  const instance = await attest.resolveInstance({
    sigstore: settings.sigstore,
    signingConfigFile: settings.signingConfigFile,
    trustedRootFile: settings.trustedRootFile,
    serverUrl: settings.context.serverUrl,
  });
  let trust: ReturnType<AttestModule['loadTrust']> | undefined;
  const now = settings.now ?? (() => new Date());
  const idToken = freshToken(settings.idToken, attest.tokenClaims, now);
  // Before anything is published: a token endpoint that refuses (or a token that expired) fails the run here, not
  // after every chart is pushed.
  await idToken();

  return {
    async attest(chart, log) {
      const existing = await Promise.all(chart.pushes.map(({ target, result }) => (result.status === 'unchanged' ? newestBundle(target, chart.name, result.digest, attest) : Promise.resolve(undefined))));
      const missing = chart.pushes.filter((_, i) => existing[i] === undefined);
      const registries: RegistryAttestation[] = existing.map((digest) => (digest ? { digest, status: 'existing' } : { digest: '', status: 'attested' }));
      if (missing.length === 0) {
        log.info(`already attested in every registry (${[...new Set(existing)].join(', ')})`);
        return { registries };
      }

      const { token, claims } = await idToken();
      const statement = attest.buildStatement(
        attest.chartSubjects({ manifests: chart.pushes.map(({ target, result }) => ({ repository: target.repositoryRef(chart.name), digest: result.digest })), archive: chart.archive }),
        attest.SLSA_PROVENANCE_V1,
        attest.provenancePredicate(claims, settings.context),
      );
      const bundle = await attest.signStatement(statement, { instance, token });
      const issuer = typeof claims['iss'] === 'string' ? claims['iss'] : '';
      let identity = attest.expectedIdentity(claims, settings.context.serverUrl);
      const policy = { issuer, ...(identity ? { identity } : {}) };
      let loaded: Awaited<ReturnType<AttestModule['loadTrust']>> | undefined;
      if (instance.trust.kind === 'none') {
        log.info(`not verified here: ${instance.trust.why}`);
      } else {
        trust ??= attest.loadTrust(instance.trust);
        loaded = await trust;
        // A bundle that does not verify is never stored: a rerun would take it for an attestation already made.
        try {
          identity = attest.verifyBundle(bundle, loaded, policy).identity;
        } catch (error) {
          throw new ChartshipError(`the new attestation does not verify against the ${instance.name} instance's trust root: ${describeError(error)}`, { code: 'ATTESTATION_UNVERIFIED' });
        }
      }

      const bytes = Buffer.from(JSON.stringify(bundle));
      const annotations = {
        'dev.sigstore.bundle.content': 'dsse-envelope',
        [PREDICATE_TYPE]: attest.SLSA_PROVENANCE_V1,
        'org.opencontainers.image.created': now().toISOString(),
      };
      // Each registry stores the bundle on its own: one refusing the referrer (an older registry refusing `subject`)
      // leaves the others' attestations in place, and the outcome names what each one holds.
      const stored = await Promise.allSettled(
        missing.map(async ({ target, result }) => {
          const done = await target.attach(chart.name, result, { artifactType: attest.SIGSTORE_BUNDLE_V03, mediaType: attest.SIGSTORE_BUNDLE_V03, bytes, annotations });
          // What the registries now serve is what users will verify: read each one back and check it.
          if (loaded) {
            const check = await verifyChartAttestations(target, chart.name, chart.version, loaded, policy, done.digest);
            if (check.verified.length === 0) {
              const why = check.rejected[0]?.reason ?? `the registry does not list referrer ${done.digest}`;
              throw new ChartshipError(`the attestation stored there does not verify: ${why}`, { code: 'ATTESTATION_UNVERIFIED' });
            }
          }
          return done;
        }),
      );
      const verified = loaded !== undefined;
      const signer = identity ?? (typeof claims['sub'] === 'string' ? claims['sub'] : '');

      const refusals = stored.flatMap((s, i) => (s.status === 'rejected' ? [`${missing[i]!.target.repositoryRef(chart.name)}: ${describeError(s.reason)}`] : []));
      let githubId: number | undefined;
      if (settings.recorder && refusals.length < missing.length) {
        try {
          githubId = (await settings.recorder.createAttestation(bundle)).id;
        } catch (error) {
          // The registries hold the attestation already; only `gh attestation verify` without --bundle-from-oci misses it.
          log.warning(`GitHub attestations API: ${describeError(error)}`);
        }
      }

      let next = 0;
      const held = registries.map((attestation, i): RegistryAttestation | undefined => {
        if (attestation.status !== 'attested') return attestation;
        const done = stored[next++]!;
        if (done.status === 'rejected') return undefined;
        const ref = chart.pushes[i]!.result.ref;
        const commands = ref.startsWith('oci:') ? {} : { verify: verifyCommand(ref, signer, issuer), ...(githubId !== undefined && settings.repository ? { ghVerify: ghVerifyCommand(ref, settings.repository) } : {}) };
        return { digest: done.value.digest, status: 'attested', via: done.value.via, ...commands };
      });
      if (refusals.length > 0) throw new AttestationIncomplete(held, refusals.join('; '));
      const logIndex = bundle.verificationMaterial.tlogEntries?.[0]?.logIndex;
      log.info(`attested by ${signer} (${instance.name}${logIndex ? `, log index ${logIndex}` : ''}${verified ? ', verified' : ''})`);
      return {
        // Every registry holds one here (a refusal threw above).
        registries: held.flatMap((h) => (h ? [h] : [])),
        chart: {
          identity: signer,
          issuer,
          instance: instance.name,
          predicateType: statement.predicateType,
          ...(logIndex ? { logIndex: String(logIndex) } : {}),
          ...(githubId !== undefined ? { githubId } : {}),
          verified,
        },
      };
    },
  };
}

/** A token is used again while it has this long to live (Fulcio checks its expiry when it certifies). */
const TOKEN_MARGIN_MS = 60_000;

/** The ID token and its claims, fetched again only when the last one is about to expire; an expired one fails. */
function freshToken(fetch: () => Promise<string>, read: (token: string) => Record<string, unknown>, now: () => Date): () => Promise<{ token: string; claims: Record<string, unknown> }> {
  let last: { token: string; claims: Record<string, unknown>; expires: number } | undefined;
  return async () => {
    if (last && last.expires - now().getTime() > TOKEN_MARGIN_MS) return last;
    const token = await fetch();
    const claims = read(token);
    const expires = typeof claims['exp'] === 'number' ? claims['exp'] * 1000 : Infinity;
    if (expires <= now().getTime()) {
      throw new ChartshipError(`the OIDC identity token expired at ${new Date(expires).toISOString()}`, { code: 'OIDC_TOKEN_EXPIRED', hint: 'ID tokens live minutes: pass one fetched for this run' });
    }
    last = { token, claims, expires };
    return last;
  };
}

/**
 * The most recent build provenance this chart manifest holds, by its creation annotation: a bundle referrer about
 * it that the registry still serves. Other attestations (an SBOM, a scan) and listed referrers that are gone do not
 * count: a rerun attests a chart that has none.
 */
async function newestBundle(target: ChartTarget, name: string, digest: string, attest: AttestModule): Promise<string | undefined> {
  const listed = await target.listReferrers(name, digest, attest.SIGSTORE_BUNDLE_V03);
  const read = await Promise.allSettled(listed.map((descriptor) => target.readReferrer(name, descriptor)));
  const found = read.flatMap((r) => (r.status === 'fulfilled' && r.value.subject === digest && r.value.annotations[PREDICATE_TYPE] === attest.SLSA_PROVENANCE_V1 ? [r.value] : []));
  const created = (r: (typeof found)[number]) => r.annotations['org.opencontainers.image.created'] ?? '';
  return found.sort((a, b) => created(b).localeCompare(created(a)))[0]?.descriptor.digest;
}

/** `chartship verify oci://host/ns/name:tag --certificate-identity … --certificate-oidc-issuer …` */
export function verifyCommand(ref: string, identity: string, issuer: string): string {
  return ['chartship', 'verify', `oci://${ref}`, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer].map(shellWord).join(' ');
}

/** `gh attestation verify oci://host/ns/name:tag --repo owner/repo` (gh looks the digest up in GitHub's API). */
export function ghVerifyCommand(ref: string, repository: string): string {
  return ['gh', 'attestation', 'verify', `oci://${ref}`, '--repo', repository].map(shellWord).join(' ');
}
