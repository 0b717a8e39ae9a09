import type { ErrorLocation } from '../model/errors.js';

/** Where progress goes: GitHub's log commands in the action, stderr in the CLI, nothing in tests. */
export interface Log {
  info(message: string): void;
  warning(message: string, where?: ErrorLocation): void;
  error(message: string, where?: ErrorLocation): void;
  /** Groups the lines `body` logs (a foldable group in the action log). */
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
}

export const silentLog: Log = {
  info: () => {},
  warning: () => {},
  error: () => {},
  group: (_title, body) => body(),
};
