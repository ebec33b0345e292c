// Input fields several operations share.
import { z } from 'zod';

/** A session id as InvokeAgent takes it: 2 to 100 letters, digits or `. _ : -`. */
export const sessionIdField = z
  .string()
  .regex(/^[0-9a-zA-Z._:-]{2,100}$/, 'must be 2 to 100 letters, digits or . _ : -')
  .describe('The conversation: a previous reply\'s sessionId (2 to 100 letters, digits or . _ : -).');

/** The user a request is for: optional, the caller's own unless the caller is a supervisor reading. */
export const userIdField = z.string().min(1).max(256).describe('Your own user id (the default), or, for a supervisor reading, another user\'s.');

/** Largest page of a list. */
export const MAX_PAGE = 100;

/** `limit` and `offset` of a list, with the list's default page size. */
export function pageFields(defaultLimit: number) {
  return {
    limit: z.number().int().min(1).default(defaultLimit).describe(`Page size (default ${defaultLimit}; at most ${MAX_PAGE}, larger is clamped)`),
    offset: z.number().int().min(0).default(0).describe('Records to skip (default 0)'),
  };
}
