import type { Caller } from './context.js';

/** Who is calling, read from trusted session attributes (only the agent can invoke the Lambda). */
export function callerFromSession(session: Record<string, unknown> | undefined, roleAttribute: string): Caller {
  const caller: Caller = {};
  if (!session || typeof session !== 'object') return caller;
  // One pass over the (few) attributes; the first non-empty alias of each field wins.
  for (const key in session) {
    const value = session[key];
    if (typeof value !== 'string' || value === '') continue;
    if (key === roleAttribute) caller.role ??= value;
    else if (key === 'userId' || key === 'user_id' || key === 'sub') caller.userId ??= value;
    else if (key === 'email' || key === 'userEmail') caller.email ??= value;
  }
  return caller;
}

/**
 * The caller an agent door fixes when `receivedMap` had to normalise the received attributes (`passed` is
 * then a copy): identity is read from the attributes as received, where only string values count, never
 * from their copy (which turns `userId: 42` into `'42'`). Undefined when the map is passed as received:
 * the core then reads the caller from it, on demand.
 */
export function callerIfNormalised(received: unknown, passed: Record<string, string>, roleAttribute: string): Caller | undefined {
  return passed === received ? undefined : callerFromSession(received as Record<string, unknown> | undefined, roleAttribute);
}
