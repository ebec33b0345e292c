import { randomUUID } from 'node:crypto';
import { isActionError } from '../../core/errors.js';
import type { EnvelopeReplayStore } from './types.js';

/** The kind of the keyed records that remember the `jti`s seen. */
export const REPLAY_KIND = 'envelope-jti';

/**
 * Claims a `jti`: true the first time, false when it was seen before. The record is put under a fresh random
 * owner, so any second put of the key — a replay, or the loser of two concurrent requests — is the store's
 * 409 ("belongs to another owner"), decided atomically by the store (one synchronous step in memory, one
 * `INSERT … ON CONFLICT … WHERE owner_id = …` statement in Postgres). A `jti` the store refuses as a key
 * (its 400: too long, a NUL) is not claimable either: false. Any other failure rejects.
 */
export async function claimJti(store: EnvelopeReplayStore, jti: string, expiresAt: number): Promise<boolean> {
  try {
    await store.put(REPLAY_KIND, jti, { expiresAt }, { ownerId: randomUUID() });
    return true;
  } catch (error) {
    if (isActionError(error) && error.status >= 400 && error.status < 500) return false;
    throw error;
  }
}
