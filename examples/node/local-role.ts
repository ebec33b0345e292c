// The local server's caller over HTTP. Nobody is trusted by default: without LOCAL_ROLE a caller has no
// role, so a role-restricted operation is refused — with a 503 naming LOCAL_ROLE, which tells a local
// developer what to set, rather than a bare 403. LOCAL_ROLE gives every caller that role, which is safe
// only while nothing but this machine can connect, so it is refused on a non-loopback host.
import type { IncomingMessage, RequestListener, Server } from 'node:http';
import type { Caller, Operation, Router } from 'bedrock-action-groups';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** The `authenticate` of the local server when LOCAL_ROLE is set; throws when `host` is not a loopback address. */
export function localRoleAuthenticate(localRole: string, host: string): () => Caller {
  if (!LOOPBACK.has(host)) {
    throw new Error(`LOCAL_ROLE gives every caller the role "${localRole}", so it is only allowed on a loopback host (127.0.0.1, ::1 or localhost), not ${host}.`);
  }
  return () => ({ role: localRole, userId: 'local-developer' });
}

/** The message of the 503 a role-restricted operation answers while LOCAL_ROLE is unset. */
export function missingLocalRoleMessage(op: Operation): string {
  const roles = op.allowedRoles ?? op.group.allowedRoles ?? [];
  return `${op.group.name}.${op.name} needs a caller role, and the local server gives one only through LOCAL_ROLE: restart it with LOCAL_ROLE=${roles[0] ?? 'Agent'} (${roles.length > 1 ? `one of ${roles.join(', ')}` : 'its allowed role'}).`;
}

/**
 * Makes `server` answer requests for role-restricted operations with a 503 naming LOCAL_ROLE; every other
 * request (operations open to anyone, `/health`, the schemas, `POST /bedrock` with its event's own
 * session attributes) goes to the router as before.
 */
export function requireLocalRole(server: Server, router: Router): void {
  const find = restrictedOperationAt(router);
  const serve = server.listeners('request')[0] as RequestListener;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res) => {
    // A request naming another host goes straight to the server, whose Host check answers it (421).
    const op = LOOPBACK.has(hostName(req)) ? find(req) : undefined;
    if (!op) return serve(req, res);
    res.writeHead(503, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: { code: 'NOT_CONFIGURED', message: missingLocalRoleMessage(op), details: { variable: 'LOCAL_ROLE' } } }));
  });
}

/** The name part of the request's `Host` header (`[::1]` without brackets), lower case. */
function hostName(req: IncomingMessage): string {
  const host = (req.headers.host ?? '').trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/** The role-restricted HTTP operation a request is for, if any, by method and path template (the local server mounts no prefixes). */
function restrictedOperationAt(router: Router): (req: IncomingMessage) => Operation | undefined {
  const routes = router.groups.flatMap((group) =>
    group.operations.filter((op) => op.doors.http && (op.allowedRoles ?? group.allowedRoles) !== undefined).map((op) => ({ op, segments: op.path.split('/') })),
  );
  return (req) => {
    let segments: string[];
    try {
      segments = new URL(req.url ?? '/', 'http://local').pathname.split('/').map(decodeURIComponent);
    } catch {
      return undefined; // a malformed path: the router answers it
    }
    const route = routes.find(
      (r) => r.op.method === req.method && r.segments.length === segments.length && r.segments.every((s, i) => (/^\{[^{}]+\}$/.test(s) ? segments[i] !== '' : s === segments[i])),
    );
    return route?.op;
  };
}
