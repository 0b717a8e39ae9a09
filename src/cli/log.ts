import type { ErrorLocation } from '../model/errors.js';
import type { Log } from '../pipeline/log.js';
import type { CliIO } from './io.js';

/** `file:line:column: field: `, so a message such as "is required" always says which field of which file. */
function where(location?: ErrorLocation): string {
  const file = location?.file ? `${[location.file, location.line, location.line === undefined ? undefined : location.column].filter((p) => p !== undefined).join(':')}: ` : '';
  return `${file}${location?.field ? `${location.field}: ` : ''}`;
}

/** Progress on stderr, so stdout carries only the result (and stays parseable with --json). */
export function stderrLog(io: CliIO): Log {
  return {
    info: (message) => io.stderr(`${message}\n`),
    warning: (message, location) => io.stderr(`warning: ${where(location)}${message}\n`),
    error: (message, location) => io.stderr(`error: ${where(location)}${message}\n`),
    group: async (title, body) => {
      io.stderr(`==> ${title}\n`);
      return body();
    },
  };
}
