import * as core from '@actions/core';
import type { ErrorLocation } from '../model/errors.js';
import type { Log } from '../pipeline/log.js';

function annotation(where?: ErrorLocation): core.AnnotationProperties | undefined {
  if (!where?.file) return undefined;
  return { file: where.file, startLine: where.line, startColumn: where.column, title: where.field };
}

/** Log lines as GitHub workflow commands: errors and warnings become annotations on the file and line. */
/** The field goes into the text too: the annotation's title is not shown in the raw log. */
function text(message: string, where?: ErrorLocation): string {
  return where?.field ? `${where.field}: ${message}` : message;
}

export const actionLog: Log = {
  info: (message) => core.info(message),
  warning: (message, where) => core.warning(text(message, where), annotation(where)),
  error: (message, where) => core.error(text(message, where), annotation(where)),
  group: (title, body) => core.group(title, body),
};
