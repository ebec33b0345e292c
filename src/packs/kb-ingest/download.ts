import { isRedirect } from '../../kit/upstream.js';

/** The export could not be fetched or stopped arriving; the message is safe to return (no URL, no key). */
export class DownloadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DownloadError';
  }
}

/** Options of {@link openExport}. */
export interface ExportRequest {
  url: URL;
  apiKey?: string;
  /** Deadline for the response headers, and for each silence while the body streams. */
  timeoutMs: number;
  /** The run's signal: aborting it stops the transfer. */
  signal?: AbortSignal;
}

class Silence extends Error {}

/**
 * GETs the NDJSON export and returns its body as a stream of chunks. The timeout is an inactivity
 * deadline, like a socket read timeout: it bounds the wait for the headers and every gap between chunks,
 * but not the whole transfer, so a large export that keeps flowing is never cut off. `fetch` is looked up
 * at call time. A redirect is refused, not followed. Rejects (or the stream throws) {@link DownloadError}.
 */
export async function openExport(request: ExportRequest): Promise<AsyncGenerator<Uint8Array>> {
  const { timeoutMs, signal } = request;
  const abort = new AbortController();
  const fetchSignal = signal ? AbortSignal.any([abort.signal, signal]) : abort.signal;
  const timer = setTimeout(() => abort.abort(new Silence()), timeoutMs);
  const close = () => {
    clearTimeout(timer);
    abort.abort(); // stops the transfer when the reader gives up early (a bad line)
  };
  const failure = (error: unknown, otherwise: string) => {
    if (abort.signal.reason instanceof Silence) return new DownloadError(`the ticket source sent nothing for ${timeoutMs} ms`, { cause: error });
    if (signal?.aborted) return new DownloadError('the run was aborted before the export was complete', { cause: error });
    return new DownloadError(otherwise, { cause: error });
  };

  let response: Response;
  try {
    response = await globalThis.fetch(request.url, {
      headers: { accept: 'application/x-ndjson', ...(request.apiKey ? { 'x-api-key': request.apiKey } : {}) },
      // Never followed: fetch would send the x-api-key to whatever origin a Location names.
      redirect: 'manual',
      signal: fetchSignal,
    });
  } catch (error) {
    close();
    throw failure(error, 'the ticket source could not be reached');
  }
  const body = response.body;
  if (isRedirect(response.status) || response.type === 'opaqueredirect') {
    close();
    throw new DownloadError(`the ticket source answered with a redirect (HTTP ${response.status}), which is not followed; check API_URL`);
  }
  if (!response.ok || !body) {
    close();
    throw new DownloadError(`the ticket source answered HTTP ${response.status}`);
  }
  return (async function* () {
    try {
      // Node's web streams are async iterable; the DOM typings do not say so.
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        timer.refresh();
        yield chunk;
      }
    } catch (error) {
      throw failure(error, 'the connection to the ticket source broke while it sent the export');
    } finally {
      close();
    }
  })();
}
