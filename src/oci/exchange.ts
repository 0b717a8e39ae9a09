import type { Dispatcher } from 'undici';
import type { Deadline } from './deadlines.js';

export interface Exchange {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: Buffer | undefined;
  dispatcher: Dispatcher;
  deadline: Deadline;
  idleMs: number;
  /** Told when the headers arrive. */
  onAnswer: () => void;
  /**
   * How much of the body to read, given the status and the headers: `limit` bytes at most; with `overflow` more
   * fails the request (a declared length is checked first), without it the body is cut there. Undefined: read none.
   */
  bodyLimit: (status: number, headers: Record<string, string>) => { limit: number; overflow?: () => Error } | undefined;
}

export interface Exchanged {
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * One HTTP request through undici's dispatcher, its body collected in a handler: what undici's `request` does, less
 * the body stream and the abort signal it makes per request (most answers here carry a few bytes). Failures are
 * undici's errors, or the deadline's reason, as `request` gives them.
 */
export function exchange(ex: Exchange): Promise<Exchanged> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let abort: ((reason: unknown) => void) | undefined;
    const finish = (result: () => void) => {
      if (settled) return;
      settled = true;
      ex.deadline.onExpire = undefined;
      result();
    };
    const fail = (error: Error) => finish(() => reject(error));
    let status = 0;
    let headers: Record<string, string> = {};
    let limit: { limit: number; overflow?: () => Error } | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => finish(() => resolve({ status, headers, body: Buffer.concat(chunks, size) }));
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(controller) {
        abort = (reason) => controller.abort(reason as Error);
        if (ex.deadline.expired) abort(ex.deadline.reason);
      },
      onResponseStart(controller, statusCode, responseHeaders) {
        // 1xx: informational, the answer is still to come.
        if (statusCode < 200) return;
        status = statusCode;
        headers = flatten(responseHeaders);
        ex.onAnswer();
        limit = ex.bodyLimit(status, headers);
        const declared = headers['content-length'];
        const length = declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : undefined;
        if (limit?.overflow && length !== undefined && length > limit.limit) {
          const error = limit.overflow();
          fail(error);
          controller.abort(error);
        }
      },
      onResponseData(controller, chunk) {
        if (settled || !limit) return;
        if (size + chunk.length <= limit.limit) {
          chunks.push(chunk);
          size += chunk.length;
          return;
        }
        // Over the limit: the connection is dropped rather than drained.
        if (limit.overflow) fail(limit.overflow());
        else {
          chunks.push(chunk.subarray(0, limit.limit - size));
          size = limit.limit;
          done();
        }
        controller.abort(new Error('body read up to its limit'));
      },
      onResponseEnd: done,
      onResponseError: (_controller, error) => fail(error),
    };
    ex.deadline.onExpire = () => abort?.(ex.deadline.reason);
    try {
      ex.dispatcher.dispatch(
        {
          origin: ex.url.origin,
          path: ex.url.search ? `${ex.url.pathname}${ex.url.search}` : ex.url.pathname,
          method: ex.method,
          headers: ex.headers,
          body: ex.body ?? null,
          // undici closes the connection after a HEAD (for servers that send it a body); registries do not, and a push
          // ends with one, so each chart would cost a connection.
          ...(ex.method === 'HEAD' && { reset: false }),
          headersTimeout: ex.idleMs,
          bodyTimeout: ex.idleMs,
        },
        handler,
      );
    } catch (error) {
      fail(error as Error);
    }
  });
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
