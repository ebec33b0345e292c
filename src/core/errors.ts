/** Machine-readable error codes used by the built-in errors; packs may use their own. */
export const DEFAULT_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  421: 'MISDIRECTED_REQUEST',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/** Options of {@link ActionError}. */
export interface ActionErrorOptions {
  /** Machine-readable code; defaults to a name for the status (`NOT_FOUND`, `BAD_GATEWAY`, …). */
  code?: string;
  /** Structured detail sent to the caller (keep it free of secrets). */
  details?: unknown;
  /** The underlying error; logged, never sent to the caller. */
  cause?: unknown;
  /**
   * HTTP headers the HTTP door sends with this error — an `authenticate` refusal's `WWW-Authenticate`, a
   * throttled upstream's `Retry-After`. Agent doors do not carry them; `router.invoke` rethrows with them.
   */
  headers?: Readonly<Record<string, string>>;
}

/**
 * An error whose status and message are meant for the caller (the model or the HTTP client).
 * Throw it from a handler: `throw new ActionError(404, 'ticket 123 not found')`.
 * Any other thrown value becomes a 500 with a generic message.
 */
export class ActionError extends Error {
  /** HTTP-style status: 4xx the caller can fix, 5xx it cannot. */
  readonly status: number;
  /** Machine-readable code. */
  readonly code: string;
  /** Structured detail sent to the caller. */
  readonly details?: unknown;
  /** HTTP headers for the HTTP door's error reply (lower-case names). */
  readonly headers?: Readonly<Record<string, string>>;

  constructor(status: number, message: string, options: ActionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`ActionError status must be an integer from 400 to 599, got ${String(status)}`);
    }
    this.name = 'ActionError';
    this.status = status;
    this.code = options.code ?? DEFAULT_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
    if (options.details !== undefined) this.details = options.details;
    if (options.headers !== undefined) this.headers = Object.fromEntries(Object.entries(options.headers).map(([k, v]) => [k.toLowerCase(), v]));
  }

  /** The `{ code, message, details? }` object sent to callers. */
  toJSON(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/**
 * The generic 500 of an unexpected failure: the caller learns nothing of it but the request id (the
 * details go to the log).
 */
export function unexpectedError(operation: string, requestId: string): ActionError {
  return new ActionError(500, `${operation} failed unexpectedly; the details were logged (request ${requestId}). Try again later.`, { code: 'INTERNAL' });
}

/** The error object every door sends: `{ error: ErrorBody }` on HTTP and AgentCore. */
export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/** True for an {@link ActionError}, also one thrown by another copy of this library. */
export function isActionError(value: unknown): value is ActionError {
  return value instanceof ActionError || (value instanceof Error && value.name === 'ActionError' && typeof (value as ActionError).status === 'number' && typeof (value as ActionError).code === 'string');
}

/** `text` cut to at most `max` characters (ending in "…"): for names and values echoed in error messages. */
export function clip(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
