// Who a request acts for. The user is the authenticated caller, never the body: a `userId` in a request
// must be the caller's own, except that a supervisor may read (not write as) another user's files and history.
import { createHash } from 'node:crypto';
import type { ActionContext } from '../../core/context.js';
import { ActionError } from '../../core/errors.js';

/** The caller's user id; a 401 when the request carries no identity. */
export function callerId(ctx: ActionContext): string {
  const id = ctx.caller.userId;
  if (typeof id !== 'string' || id === '') throw new ActionError(401, 'Se requiere autenticación: envíe Authorization: Bearer <token>.', { code: 'UNAUTHORIZED' });
  return id;
}

/**
 * The owner a request acts for: the caller, or the named `userId` when it is the caller's own or, for
 * `'read'`, when the caller has the supervisor role. Anything else is a 403.
 */
export function ownerFor(ctx: ActionContext, userId: string | undefined, access: 'read' | 'write', supervisorRole: string): string {
  const me = callerId(ctx);
  if (userId === undefined || userId === me) return me;
  if (access === 'read' && ctx.caller.role === supervisorRole) return userId;
  throw new ActionError(403, access === 'read' ? 'Solo puede consultar sus propios archivos e historial.' : 'Solo puede subir archivos y enviar prompts en su propio nombre.', { code: 'FORBIDDEN' });
}

/**
 * The agent's session id for a user's session: one per (user, session), so a user who names someone
 * else's `sessionId` gets a session of their own and never the other's conversation.
 */
export function agentSessionId(ownerId: string, sessionId: string): string {
  return createHash('sha256').update(ownerId).update('\u0000').update(sessionId).digest('hex');
}
