import type { ErrorLocation } from '../model/errors.js';
import type { Log } from './log.js';

/**
 * Charts are published concurrently, so their lines would interleave; each chart writes into its own buffer and
 * the buffer is printed as one group when the chart is done. Errors and warnings are not delayed in meaning: they
 * are emitted inside the group, where annotations still point at their files.
 */
export function bufferLog(parent: Log): Log & { flush(title: string): Promise<void> } {
  const lines: ((log: Log) => void)[] = [];
  return {
    info: (message) => lines.push((log) => log.info(message)),
    warning: (message, where?: ErrorLocation) => lines.push((log) => log.warning(message, where)),
    error: (message, where?: ErrorLocation) => lines.push((log) => log.error(message, where)),
    group: (_title, body) => body(),
    // A chart that said nothing (one left for a later run: its warning is the caller's) opens no empty group.
    flush: (title) =>
      lines.length === 0
        ? Promise.resolve()
        : parent.group(title, () => {
            for (const line of lines.splice(0)) line(parent);
            return Promise.resolve();
          }),
  };
}
