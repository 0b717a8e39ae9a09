import { locationText, type ErrorLocation } from '../model/errors.js';
import type { Log } from '../pipeline/log.js';
import type { CliIO } from './io.js';

/** `file:line:column: field: `, so a message such as "is required" always says which field of which file. */
function where(location?: ErrorLocation): string {
  const file = location?.file ? `${locationText(location)}: ` : '';
  return `${file}${location?.field ? `${location.field}: ` : ''}`;
}

/**
 * Progress on stderr, so stdout carries only the result (and stays parseable with --json). What a group's body logs
 * before it first waits (a chart's buffered lines, all at once) goes out as one write rather than one per line.
 */
export function stderrLog(io: CliIO): Log {
  let held: string[] | undefined;
  const write = (text: string) => (held ? held.push(text) : io.stderr(text));
  return {
    info: (message) => write(`${message}\n`),
    warning: (message, location) => write(`warning: ${where(location)}${message}\n`),
    error: (message, location) => write(`error: ${where(location)}${message}\n`),
    group: async (title, body) => {
      if (held) {
        held.push(`==> ${title}\n`);
        return body();
      }
      held = [`==> ${title}\n`];
      let result: ReturnType<typeof body>;
      try {
        result = body();
      } finally {
        const text = held.join('');
        held = undefined;
        io.stderr(text);
      }
      return result;
    },
  };
}
