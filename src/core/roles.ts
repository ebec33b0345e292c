import { ActionError } from './errors.js';
import type { Caller } from './context.js';
import type { Operation } from './operation.js';

/** The roles allowed to call an operation: its own list, else its group's, else anyone. */
export function allowedRolesOf(op: Operation): readonly string[] | undefined {
  return op.allowedRoles ?? op.group.allowedRoles;
}

/** Fails closed: when roles are set, a caller without one of them gets a 403 naming who may call. */
export function checkRole(op: Operation, caller: Caller): void {
  const allowed = allowedRolesOf(op);
  if (!allowed) return;
  const role = caller.role?.trim().toLowerCase();
  if (role && allowed.some((r) => r.toLowerCase() === role)) return;
  const who = allowed.length ? `one of the roles ${allowed.join(', ')}` : 'a role, and none is allowed';
  const has = caller.role ? `the caller's role is "${caller.role}"` : 'the caller has no role';
  throw new ActionError(403, `${op.name} requires ${who}; ${has}.`, { code: 'FORBIDDEN', details: { allowedRoles: allowed } });
}
