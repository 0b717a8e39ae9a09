import { ChartshipError } from '../../model/errors.js';

export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
/** The media type of a Sigstore bundle v0.3: the referrer's artifactType and its layer. */
export const SIGSTORE_BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';

export interface Subject {
  name: string;
  digest: Record<string, string>;
}

export interface Statement {
  _type: string;
  subject: Subject[];
  predicateType: string;
  predicate: Record<string, unknown>;
}

const hex = (digest: string): string => {
  const match = /^sha256:([a-f0-9]{64})$/.exec(digest);
  if (!match) throw new ChartshipError(`${JSON.stringify(digest)} is not a sha256 digest`, { code: 'DIGEST_INVALID' });
  return match[1]!;
};

/**
 * What a chart's statement is about: the chart manifest in each repository it was pushed to, named as
 * actions/attest-build-provenance names an OCI subject (the repository reference without a tag), and the chart
 * archive by its file name. One statement covers every target, so a chart is signed once however many registries
 * hold it.
 */
export function chartSubjects(input: { manifests: { repository: string; digest: string }[]; archive: { fileName: string; sha256: string } }): Subject[] {
  const seen = new Set<string>();
  const subjects: Subject[] = [];
  for (const { repository, digest } of input.manifests) {
    const key = `${repository}@${digest}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // Docker Hub's registry is index.docker.io whatever alias a reference uses, and actions/attest names it so.
    subjects.push({ name: repository.replace(/^(?:docker\.io|registry-1\.docker\.io)\//, 'index.docker.io/'), digest: { sha256: hex(digest) } });
  }
  subjects.push({ name: input.archive.fileName, digest: { sha256: input.archive.sha256.replace(/^sha256:/, '') } });
  return subjects;
}

export function buildStatement(subjects: Subject[], predicateType: string, predicate: Record<string, unknown>): Statement {
  return { _type: STATEMENT_V1, subject: subjects, predicateType, predicate };
}

/** A DSSE payload as an in-toto statement v1, or a ChartshipError naming what is wrong with it. */
export function parseStatement(payload: Buffer): Statement {
  let json: Partial<Statement>;
  try {
    json = JSON.parse(payload.toString('utf8')) as Partial<Statement>;
  } catch {
    throw new ChartshipError('the attestation payload is not JSON', { code: 'ATTESTATION_INVALID' });
  }
  if (json._type !== STATEMENT_V1) throw new ChartshipError(`the attestation is not an in-toto statement v1 (_type ${JSON.stringify(json._type)})`, { code: 'ATTESTATION_INVALID' });
  const subjects = Array.isArray(json.subject) ? json.subject : [];
  if (subjects.length === 0 || !subjects.every((s) => typeof s?.name === 'string' && typeof s.digest === 'object' && s.digest !== null)) {
    throw new ChartshipError('the attestation names no valid subject', { code: 'ATTESTATION_INVALID' });
  }
  if (typeof json.predicateType !== 'string') throw new ChartshipError('the attestation has no predicateType', { code: 'ATTESTATION_INVALID' });
  return { _type: json._type, subject: subjects, predicateType: json.predicateType, predicate: (json.predicate ?? {}) };
}

/** Whether the statement is about the bytes with this sha256 digest. */
export function coversDigest(statement: Statement, digest: string): boolean {
  const wanted = hex(digest);
  return statement.subject.some((s) => s.digest['sha256']?.toLowerCase() === wanted);
}
