import * as core from '@actions/core';
import { describeError, locationText, type ErrorLocation } from '../model/errors.js';
import { inline } from '../report/markdown.js';
import type { Log } from '../pipeline/log.js';

/**
 * GitHub shows at most 10 error and 10 warning annotations per step and silently drops the rest from the run's page.
 * A run with hundreds of failing charts would lose what matters most, which comes last: the step's verdict, a warning
 * the page must show (warnShown) and the count of what the log has beyond the annotations. So plain errors take the
 * first 9 (the verdict the 10th, counting the rest), plain warnings the first 8 (a warning that must be shown the
 * 9th, the count the 10th); the rest are log lines, and the job summary lists them at the end.
 */
const SHOWN = 10;
const PLAIN = { error: SHOWN - 1, warning: SHOWN - 2 };
/** What the job summary lists of the lines not annotated (of each kind), within its 1 MiB beside hundreds of charts. */
const LISTED = 20;
const KINDS = ['error', 'warning'] as const;
type Kind = (typeof KINDS)[number];
let shown = { error: 0, warning: 0 };
/** Lines not annotated that no annotation has counted yet. */
let uncounted = { error: 0, warning: 0 };
/** Every line not annotated: the first LISTED of each kind, and how many in all. */
let missed = { error: [] as string[], warning: [] as string[] };
let missedCount = { error: 0, warning: 0 };

function annotation(where?: ErrorLocation): core.AnnotationProperties | undefined {
  if (!where?.file) return undefined;
  return { file: where.file, startLine: where.line, startColumn: where.column, title: where.field };
}

/** The field goes into the text too: the annotation's title is not shown in the raw log. */
function text(message: string, where?: ErrorLocation): string {
  return where?.field ? `${where.field}: ${message}` : message;
}

/** An annotation, while GitHub shows one more of its kind. */
function shownAnnotation(kind: Kind, message: string, where?: ErrorLocation): boolean {
  if (shown[kind] >= SHOWN) return false;
  shown[kind]++;
  core[kind](message, annotation(where));
  return true;
}

function logOnly(kind: Kind, message: string, where?: ErrorLocation): void {
  const line = `${where?.file ? `${locationText(where)}: ` : ''}${text(message, where)}`;
  core.info(`${kind}: ${line}`);
  uncounted[kind]++;
  if (missedCount[kind]++ < LISTED) missed[kind].push(line);
}

function annotate(kind: Kind, message: string, where?: ErrorLocation): void {
  if (shown[kind] < PLAIN[kind]) shownAnnotation(kind, text(message, where), where);
  else logOnly(kind, message, where);
}

/** Log lines as GitHub workflow commands: errors and warnings become annotations on the file and line. */
export const actionLog: Log = {
  info: (message) => core.info(message),
  warning: (message, where) => annotate('warning', message, where),
  error: (message, where) => annotate('error', message, where),
  group: (title, body) => core.group(title, body),
};

const more = (count: number, kind: string) => `${count} more ${kind}${count === 1 ? '' : 's'} in the log (GitHub shows ${SHOWN} annotations of a kind per step)`;

/**
 * Fails the step with `message`: an annotation (the 10th when the cap is reached), on `where` when given, and
 * counting the errors the log has beyond the cap.
 */
export function failStep(message: string, where?: ErrorLocation): void {
  const counted = uncounted.error > 0 ? ` (${more(uncounted.error, 'error')})` : '';
  if (shownAnnotation('error', `${text(message, where)}${counted}`, where)) uncounted.error = 0;
  else logOnly('error', message, where);
  process.exitCode = core.ExitCode.Failure;
}

/**
 * A warning the step's page must show, as the verdict is (a pull-request comment that could not be posted, and the
 * permission that would post it): past the plain warnings' share it takes the 9th annotation, leaving the 10th to
 * count what follows it.
 */
export function warnShown(message: string): void {
  if (shown.warning < SHOWN - 1) shownAnnotation('warning', message);
  else logOnly('warning', message);
}

/** At the end of the step: an annotation counting what only the log has, and those lines in the job summary. */
export async function reportUnannotated(): Promise<void> {
  for (const kind of KINDS) if (uncounted[kind] > 0) shownAnnotation(kind, more(uncounted[kind], kind));
  const lines = KINDS.flatMap((kind) => [
    ...missed[kind].map((line) => `- ${kind}: ${inline(line, 200)}`),
    ...(missedCount[kind] > LISTED ? [`- … and ${missedCount[kind] - LISTED} more ${kind}s in the log`] : []),
  ]);
  shown = { error: 0, warning: 0 };
  uncounted = { error: 0, warning: 0 };
  missed = { error: [], warning: [] };
  missedCount = { error: 0, warning: 0 };
  if (lines.length === 0) return;
  // Without a summary file (a runner that has none) the log lines above are what is left.
  await core.summary
    .addRaw(['', `### Not annotated`, '', `GitHub shows ${SHOWN} annotations of a kind per step; these are in the log too:`, '', ...lines, ''].join('\n'), true)
    .write()
    .catch((error: unknown) => core.info(`job summary not written: ${describeError(error)}`));
}
