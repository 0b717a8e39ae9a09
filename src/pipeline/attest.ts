import type { ChartTarget, PushResult } from '../helm-oci/index.js';
import { ChartshipError, describeError } from '../model/errors.js';
import type { ChartAttestation, RegistryAttestation } from '../model/plan.js';
import { shellWord } from '../report/markdown.js';
import { expectedIdentity, type BuildContext } from '../sign/attest/provenance.js';
import type { IdentityPolicy, Trust } from '../sign/attest/verify.js';
import type { GitHubClient } from './github.js';
import type { Log } from './log.js';
import { runGraph } from './schedule.js';

/**
 * Where GitHub keeps attestations for `gh attestation verify` (POST /repos/{owner}/{repo}/attestations), and lists
 * them by subject digest.
 */
export type AttestationRecorder = Pick<GitHubClient, 'createAttestation' | 'findAttestation'>;

export interface AttestSettings {
  /** An OIDC ID token with audience `sigstore`, fresh for each chart (tokens live minutes). */
  idToken: () => Promise<string>;
  /** The token is at hand (a variable), not fetched: reading its claims costs nothing and cannot fail on a network. */
  tokenAtHand?: boolean;
  /**
   * Who this run signs as, as far as it is known without asking for a token (the runner's variables name the
   * workflow): a rerun checks the attestations already stored against it, so a run with nothing to sign needs none.
   */
  signer?: IdentityPolicy;
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

/** A chart this run publishes. */
export interface ChartToAttest {
  name: string;
  version: string;
  /** Every registry lists this version already (a rerun): it may be attested there already. */
  held: boolean;
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
type Existing = import('./attest-existing.js').Existing;

/** Registries looked at once while a rerun finds what is attested already. */
const LOOKUPS_AT_ONCE = 16;

/**
 * Attests pushed charts: one in-toto statement per chart (SLSA build provenance about the chart manifest in every
 * registry and the chart archive), signed once through Sigstore, stored in each registry as a referrer of the chart
 * manifest, recorded in GitHub's attestations API where there is one (unless it holds one already), then read back
 * from each registry and verified against the instance's trust root before anything reports it. A registry that
 * already holds an attestation of an unchanged chart that verifies for it and this signer keeps it: a rerun signs
 * only what is missing or does not verify. Opened before anything is published, it decides there whether this run
 * signs anything, and only then asks for the ID token: a token problem fails the run before any push, and a run
 * with nothing to sign needs no token.
 */
export async function openAttester(settings: AttestSettings, run: { charts: ChartToAttest[]; targets: ChartTarget[] }, log: Log): Promise<Attester> {
  // The Sigstore stack is loaded only on this path.
  const attest: AttestModule = await import('../sign/attest/index.js');
  const { existingProvenance, recordedInGitHub, PREDICATE_TYPE } = await import('./attest-existing.js');
  const { verifyChartAttestations } = await import('./attest-verify.js');
  const instance = await attest.resolveInstance({
    sigstore: settings.sigstore,
    signingConfigFile: settings.signingConfigFile,
    trustedRootFile: settings.trustedRootFile,
    serverUrl: settings.context.serverUrl,
  });
  let trust: ReturnType<AttestModule['loadTrust']> | undefined;
  const trusted = async (): Promise<Trust | undefined> => (instance.trust.kind === 'none' ? undefined : (trust ??= attest.loadTrust(instance.trust)));
  // What is stored already only decides what to sign: a trust root that cannot be had now (TUF down) must not fail a
  // run that signs nothing, so the survey then takes attestations as stored, as it does without a trust root.
  // Signing still needs it (the new bundle is verified before it is stored).
  let surveyTrust: Promise<Trust | undefined> | undefined;
  const trustedToSurvey = () =>
    (surveyTrust ??= trusted().catch((error: unknown) => {
      if (!(error instanceof ChartshipError && error.code === 'TRUST_ROOT_UNAVAILABLE')) throw error;
      log.warning(`Attestations: the ${instance.name} instance's trust root cannot be had (${error.message}): the attestations already stored are taken as stored, unverified, this time`);
      return undefined;
    }));
  const now = settings.now ?? (() => new Date());
  const idToken = freshToken(settings.idToken, attest.tokenClaims, now);
  const tokenSigner = async () => signerOf((await idToken()).claims, settings.context.serverUrl);

  // What each registry holds of each chart it lists already, by `host/ns/name:version`. One that could not be looked
  // at is left out: it counts as missing here, and its chart looks again when it is attested.
  const found = new Map<string, Existing & { manifest: string }>();
  const where = (target: ChartTarget, chart: { name: string; version: string }) => `${target.repositoryRef(chart.name)}:${chart.version}`;
  const listed = run.charts.filter((c) => c.held);
  const survey = async (signer: IdentityPolicy, trustNow: Trust | undefined) => {
    found.clear();
    const lookups = listed.flatMap((chart) => run.targets.map((target) => ({ chart, target })));
    await runGraph(
      lookups.map(({ chart, target }) => ({
        id: where(target, chart),
        dependsOn: [],
        run: async () => {
          const existing = await existingProvenance(target, chart, trustNow, signer);
          if (existing.manifest) found.set(where(target, chart), { ...existing, manifest: existing.manifest });
        },
      })),
      { limit: LOOKUPS_AT_ONCE },
    );
    return lookups.every(({ chart, target }) => found.get(where(target, chart))?.digest !== undefined);
  };
  // Without a trust root nothing is verified here, so who signed does not matter to what is found.
  const judged = instance.trust.kind !== 'none';
  // A chart some registry does not list yet is pushed there, and signed.
  const pushing = run.charts.some((c) => !c.held);
  let signer = pushing ? await tokenSigner() : judged ? await knownSigner(settings, attest) : {};
  // A run that signs needs the trust root anyway: then it is not looked at as stored.
  const surveyed = signer && (pushing ? await trusted() : await trustedToSurvey());
  const complete = signer ? await survey(signer, surveyed) : false;
  if (!pushing && complete) log.info(`Attestations: every registry holds one of each chart already${surveyed ? ' (verified)' : ''}: nothing to sign, no ID token asked for.`);
  if (!pushing && !complete) {
    // Something is to be signed: the token and the trust root must come now, before any push (this fails the run
    // if they cannot).
    const exact = await tokenSigner();
    const strict = await trusted();
    if (judged && !sameSigner(exact, signer)) {
      signer = exact;
      await survey(exact, strict);
    }
  }

  return {
    async attest(chart, log) {
      const existing = await Promise.all(
        chart.pushes.map(async ({ target, result }) => {
          if (result.status !== 'unchanged') return undefined;
          const known = found.get(where(target, chart));
          if (known?.manifest === result.digest) return known;
          return existingProvenance(target, chart, await trustedToSurvey(), signer ?? (await tokenSigner()));
        }),
      );
      const missing = chart.pushes.filter((_, i) => existing[i]?.digest === undefined);
      const registries: RegistryAttestation[] = existing.map((e) => (e?.digest ? { digest: e.digest, status: 'existing' } : { digest: '', status: 'attested' }));
      if (missing.length === 0) {
        log.info(`already attested in every registry (${[...new Set(registries.map((r) => r.digest))].join(', ')})`);
        return { registries };
      }
      const trustNow = await trusted();
      existing.forEach((e, i) => {
        if (e?.digest !== undefined) return;
        for (const bad of e?.rejected ?? []) log.warning(`${chart.pushes[i]!.target.repositoryRef(chart.name)}: attestation ${bad.digest} does not verify for this chart and signer (${bad.reason}); attesting again`);
      });

      const { token, claims } = await idToken();
      const statement = attest.buildStatement(
        attest.chartSubjects({ manifests: chart.pushes.map(({ target, result }) => ({ repository: target.repositoryRef(chart.name), digest: result.digest })), archive: chart.archive }),
        attest.SLSA_PROVENANCE_V1,
        attest.provenancePredicate(claims, settings.context),
      );
      const bundle = await attest.signStatement(statement, { instance, token });
      const policy = signerOf(claims, settings.context.serverUrl);
      const issuer = policy.issuer ?? '';
      let identity = policy.identity;
      if (!trustNow) {
        log.info(`not verified here: ${instance.trust.kind === 'none' ? instance.trust.why : ''}`);
      } else {
        // A bundle that does not verify is never stored: a rerun would take it for an attestation already made.
        try {
          identity = attest.verifyBundle(bundle, trustNow, policy).identity;
        } catch (error) {
          throw new ChartshipError(`the new attestation does not verify against the ${instance.name} instance's trust root: ${describeError(error)}`, { code: 'ATTESTATION_UNVERIFIED' });
        }
      }
      const signedBy = { issuer, ...(identity ? { identity } : {}) };

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
          if (trustNow) {
            const check = await verifyChartAttestations(target, chart.name, chart.version, trustNow, policy, done.digest);
            if (check.verified.length === 0) {
              const why = check.rejected[0]?.reason ?? `the registry does not list referrer ${done.digest}`;
              throw new ChartshipError(`the attestation stored there does not verify: ${why}`, { code: 'ATTESTATION_UNVERIFIED' });
            }
          }
          return done;
        }),
      );
      const verified = trustNow !== undefined;
      const signerName = identity ?? (typeof claims['sub'] === 'string' ? claims['sub'] : '');

      const refusals = stored.flatMap((s, i) => (s.status === 'rejected' ? [`${missing[i]!.target.repositoryRef(chart.name)}: ${describeError(s.reason)}`] : []));
      let githubId: number | undefined;
      let inGitHub = false;
      if (settings.recorder && refusals.length < missing.length) {
        let looked = false;
        try {
          // A rerun attests only the registries that missed it: GitHub may hold the first run's attestation already.
          const digests = chart.pushes.map(({ result }) => result.digest);
          inGitHub = existing.some((e) => e !== undefined) && (await recordedInGitHub(settings.recorder, digests, trustNow, signedBy));
          looked = true;
          if (inGitHub) log.info(`GitHub's attestations API holds one of ${[...new Set(digests)].join(', ')} already: not recorded again`);
          else {
            githubId = (await settings.recorder.createAttestation(bundle)).id;
            // Recorded, or found recorded after an answer that was lost (then without an id): `gh` finds it.
            inGitHub = true;
          }
        } catch (error) {
          // The registries hold the attestation already; only `gh attestation verify` without --bundle-from-oci misses it.
          const unknown = looked ? '' : 'cannot tell whether it holds this attestation already, so none is recorded (never a second one): ';
          log.warning(`GitHub attestations API: ${unknown}${describeError(error)}`);
        }
      }

      let next = 0;
      const outcome = registries.map((attestation, i): RegistryAttestation | undefined => {
        if (attestation.status !== 'attested') return attestation;
        const done = stored[next++]!;
        if (done.status === 'rejected') return undefined;
        const ref = chart.pushes[i]!.result.ref;
        const commands = ref.startsWith('oci:') ? {} : { verify: verifyCommand(ref, signerName, issuer), ...(inGitHub && settings.repository ? { ghVerify: ghVerifyCommand(ref, settings.repository) } : {}) };
        const unverified = existing[i]?.rejected ?? [];
        return { digest: done.value.digest, status: 'attested', via: done.value.via, ...commands, ...(unverified.length > 0 ? { unverified } : {}) };
      });
      if (refusals.length > 0) throw new AttestationIncomplete(outcome, refusals.join('; '));
      const logIndex = bundle.verificationMaterial.tlogEntries?.[0]?.logIndex;
      log.info(`attested by ${signerName} (${instance.name}${logIndex ? `, log index ${logIndex}` : ''}${verified ? ', verified' : ''})`);
      return {
        // Every registry holds one here (a refusal threw above).
        registries: outcome.flatMap((h) => (h ? [h] : [])),
        chart: {
          identity: signerName,
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

/** Who a token's holder signs as: its issuer, and the certificate identity where Fulcio's rule for it is known. */
function signerOf(claims: Record<string, unknown>, serverUrl: string): IdentityPolicy & { issuer: string } {
  const identity = expectedIdentity(claims, serverUrl);
  return { issuer: typeof claims['iss'] === 'string' ? claims['iss'] : '', ...(identity ? { identity } : {}) };
}

/** Who signs, known without asking the token endpoint: a token at hand says it, else the front end's guess if any. */
async function knownSigner(settings: AttestSettings, attest: AttestModule): Promise<IdentityPolicy | undefined> {
  if (settings.tokenAtHand) return signerOf(attest.tokenClaims(await settings.idToken()), settings.context.serverUrl);
  const { signer } = settings;
  return signer && (signer.issuer !== undefined || signer.identity !== undefined) ? signer : undefined;
}

function sameSigner(a: IdentityPolicy, b: IdentityPolicy | undefined): boolean {
  return b !== undefined && a.issuer === b.issuer && a.identity === b.identity && a.identityRegexp === b.identityRegexp;
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

/** `chartship verify oci://host/ns/name:tag --certificate-identity … --certificate-oidc-issuer …` */
export function verifyCommand(ref: string, identity: string, issuer: string): string {
  return ['chartship', 'verify', `oci://${ref}`, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer].map(shellWord).join(' ');
}

/** `gh attestation verify oci://host/ns/name:tag --repo owner/repo` (gh looks the digest up in GitHub's API). */
export function ghVerifyCommand(ref: string, repository: string): string {
  return ['gh', 'attestation', 'verify', `oci://${ref}`, '--repo', repository].map(shellWord).join(' ');
}
