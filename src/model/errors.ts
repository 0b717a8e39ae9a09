/**
 * One error type for everything a user can get wrong. It carries where the problem is, so the CLI can print
 * `file:line:column field: message` and the action can put an annotation on that line.
 */
export interface ErrorLocation {
  /** Path of the offending file (or archive), as the user would recognise it. */
  file?: string;
  /** Dotted field name inside that file, e.g. `version` or `dependencies[1].repository`. */
  field?: string;
  line?: number;
  column?: number;
}

/** `file:line:column`, as far as it is known (a column only with its line). */
export function locationText(where: Pick<ErrorLocation, 'file' | 'line' | 'column'>): string {
  return [where.file, where.line, where.line === undefined ? undefined : where.column].filter((p) => p !== undefined).join(':');
}

export interface ChartshipErrorOptions extends ErrorLocation {
  /** What the user can do about it. */
  hint?: string;
  /** Machine-readable code, e.g. an OCI error code or `CHART_INVALID`. */
  code?: string;
  cause?: unknown;
}

export class ChartshipError extends Error {
  readonly file?: string;
  readonly field?: string;
  readonly line?: number;
  readonly column?: number;
  readonly hint?: string;
  readonly code?: string;

  constructor(message: string, options: ChartshipErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChartshipError';
    this.file = options.file;
    this.field = options.field;
    this.line = options.line;
    this.column = options.column;
    this.hint = options.hint;
    this.code = options.code;
  }

  /** `file:line:column: field: message (hint)`: the one line a user reads. */
  describe(): string {
    const where = locationText(this);
    const field = this.field ? `${this.field}: ` : '';
    return `${where ? `${where}: ` : ''}${field}${this.withHint()}`;
  }

  /** `message (hint)`: for a log that writes the file, line and field itself. */
  withHint(): string {
    return this.hint ? `${this.message} (${this.hint})` : this.message;
  }
}

/**
 * `error` as a problem of setting `field`: code that checks a value (a reference, a path) does not know which input
 * or flag it came from, and a message that names none leaves the user to guess. Other errors and errors that name a
 * field already are returned as they are.
 */
export function inField(error: unknown, field: string): unknown {
  if (!(error instanceof ChartshipError) || error.field !== undefined) return error;
  return relocated(error, { field });
}

/**
 * `error` as a problem in `file`: code that reads or edits text (a Chart.yaml's content) does not know where it came
 * from. Other errors and errors that name a file already are returned as they are.
 */
export function inFile(error: unknown, file: string): unknown {
  if (!(error instanceof ChartshipError) || error.file !== undefined) return error;
  return relocated(error, { file });
}

/** `error` with `location` in place of what it says of where (its message, hint and code kept). */
export function relocated(error: ChartshipError, location: ErrorLocation): ChartshipError {
  const { file, field, line, column, hint, code } = error;
  return new ChartshipError(error.message, { file, field, line, column, hint, code, ...location, cause: error.cause });
}

export function describeError(error: unknown): string {
  if (error instanceof ChartshipError) return error.describe();
  if (error instanceof Error) return error.message;
  return String(error);
}
