import type { Router, RouterOptions } from '../core/router.js';

/** Checks the router's HTTP options when the router is created, so a bad setting fails at start-up. */
export function checkHttpOptions(options: RouterOptions): void {
  if (options.maxBodyBytes !== undefined && !(Number.isInteger(options.maxBodyBytes) && options.maxBodyBytes > 0)) {
    throw new Error('createRouter: "maxBodyBytes" must be a positive integer');
  }
  const cors = options.cors;
  if (cors !== undefined) {
    if (cors.origins !== '*' && !Array.isArray(cors.origins)) throw new Error('createRouter: "cors.origins" must be "*" or a list of origins');
    if (cors.origins === '*' && cors.credentials) throw new Error('createRouter: "cors.origins" "*" cannot be combined with "credentials"; list the origins');
  }
}

/** Serves one HTTP request (work in progress: every path is unknown for now). */
export function serveHttp(_router: Router, _request: Request): Promise<Response> {
  return Promise.resolve(Response.json({ error: { code: 'NOT_FOUND', message: 'Not found.' } }, { status: 404 }));
}
