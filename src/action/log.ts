import * as core from '@actions/core';
import { locationText, type ErrorLocation } from '../model/errors.js';
import type { Log } from '../pipeline/log.js';

/**
 * GitHub shows at most 10 error and 10 warning annotations per step and drops the rest from the run's page. A run
 * with hundreds of failing charts would lose the one that matters most, the step's verdict, which comes last: so the
 * first 9 of each kind are annotations, later ones plain log lines, and the 10th counts what was not annotated.
 */
const ANNOTATED = 9;
const unannotated = { error: 0, warning: 0 };
let annotated = { error: 0, warning: 0 };

function annotation(where?: ErrorLocation): core.AnnotationProperties | undefined {
  if (!where?.file) return undefined;
  return { file: where.file, startLine: where.line, startColumn: where.column, title: where.field };
}

/** The field goes into the text too: the annotation's title is not shown in the raw log. */
function text(message: string, where?: ErrorLocation): string {
  return where?.field ? `${where.field}: ${message}` : message;
}

function annotate(kind: 'error' | 'warning', message: string, where?: ErrorLocation): void {
  if (annotated[kind] < ANNOTATED) {
    annotated[kind]++;
    core[kind](text(message, where), annotation(where));
    return;
  }
  unannotated[kind]++;
  const at = where?.file ? `${locationText(where)}: ` : '';
  core.info(`${kind}: ${at}${text(message, where)}`);
}

/** Log lines as GitHub workflow commands: errors and warnings become annotations on the file and line. */
export const actionLog: Log = {
  info: (message) => core.info(message),
  warning: (message, where) => annotate('warning', message, where),
  error: (message, where) => annotate('error', message, where),
  group: (title, body) => core.group(title, body),
};

const more = (count: number, kind: string) => `${count} more ${kind}${count === 1 ? '' : 's'} in the log (GitHub shows ${ANNOTATED + 1} annotations of a kind per step)`;

/**
 * Fails the step with `message`: always an annotation (the 10th when the cap is reached), on `where` when given, and
 * counting the errors the log has beyond the cap.
 */
export function failStep(message: string, where?: ErrorLocation): void {
  const counted = unannotated.error > 0 ? ` (${more(unannotated.error, 'error')})` : '';
  unannotated.error = 0;
  core.error(`${text(message, where)}${counted}`, annotation(where));
  process.exitCode = core.ExitCode.Failure;
}

/**
 * A warning the step's page must show, as the verdict is (a pull-request comment that could not be posted, and the
 * permission that would post it): past the cap it takes the 10th annotation, counting the warnings left in the log.
 */
export function warnShown(message: string): void {
  if (annotated.warning < ANNOTATED) return annotate('warning', message);
  const counted = unannotated.warning > 0 ? ` (${more(unannotated.warning, 'warning')})` : '';
  unannotated.warning = 0;
  core.warning(`${message}${counted}`);
}

/** At the end of the step: one annotation counting the warnings (and errors no verdict counted) left in the log. */
export function countUnannotated(): void {
  if (unannotated.warning > 0) core.warning(more(unannotated.warning, 'warning'));
  if (unannotated.error > 0) core.error(more(unannotated.error, 'error'));
  unannotated.warning = unannotated.error = 0;
  annotated = { error: 0, warning: 0 };
}
