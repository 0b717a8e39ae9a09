/** One request's deadline: `onExpire` is told once when it passes before the request finishes. */
export class Deadline {
  expired = false;
  reason: unknown;
  done = false;
  readonly at: number;
  onExpire: (() => void) | undefined;

  constructor(at: number) {
    this.at = at;
  }

  expire(): void {
    this.expired = true;
    // What AbortController.abort() gives, so the error a request fails with is the same as with a signal.
    this.reason = new DOMException('This operation was aborted', 'AbortError');
    this.onExpire?.();
  }
}

/**
 * The deadlines of one transport's requests. All have the same length, so they expire in the order the requests
 * started: one timer, armed for the oldest request still waiting, serves them all instead of a timer each. It keeps
 * the process alive while a request waits, and only then, as a timer per request would.
 */
export class Deadlines {
  readonly #ms: number;
  /** Oldest first; finished requests are dropped from the front. */
  readonly #waiting: Deadline[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(ms: number) {
    this.#ms = ms;
  }

  start(): Deadline {
    const deadline = new Deadline(performance.now() + this.#ms);
    this.#waiting.push(deadline);
    this.#timer ??= setTimeout(() => this.#expire(), this.#ms);
    return deadline;
  }

  finish(deadline: Deadline): void {
    deadline.done = true;
    this.#dropFinished();
    if (this.#waiting.length === 0 && this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  #dropFinished(): void {
    while (this.#waiting[0]?.done) this.#waiting.shift();
  }

  #expire(): void {
    this.#timer = undefined;
    const now = performance.now();
    // The timer may fire a little before the oldest deadline (it counts from the event loop's time): what is not due
    // gets a timer for the rest.
    for (let first = this.#waiting[0]; first && (first.done || first.at <= now); first = this.#waiting[0]) {
      this.#waiting.shift();
      if (!first.done) {
        first.done = true;
        first.expire();
      }
    }
    this.#dropFinished();
    const next = this.#waiting[0];
    if (next) this.#timer = setTimeout(() => this.#expire(), Math.max(1, next.at - now));
  }
}
