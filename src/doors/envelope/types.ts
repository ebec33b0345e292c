import type { ActionGroup } from '../../core/operation.js';

/** The claims a {@link signEnvelopeToken} token carries (base64url JSON). Times are epoch seconds. */
export interface EnvelopeClaims {
  /** Who is calling: becomes `ctx.caller.userId`. */
  sub: string;
  /** The caller's role: becomes `ctx.caller.role` (role-restricted operations check it). */
  role?: string;
  /** Issued at (epoch seconds). */
  iat: number;
  /** Expires at (epoch seconds). */
  exp: number;
  /** A unique token id: with a `replayStore`, each one is accepted once. */
  jti?: string;
}

/** What a verifier vouches for, once it has accepted an envelope's `payload`. */
export interface EnvelopeIdentity {
  /** The caller's user id (`ctx.caller.userId`). */
  sub: string;
  /** The caller's role (`ctx.caller.role`). */
  role?: string;
  /** The payload's unique id, for the replay check. */
  jti?: string;
  /**
   * Epoch seconds after which the verifier refuses this payload anyway: how long a `replayStore` must
   * remember its `jti`.
   */
  expiresAt: number;
}

/**
 * Checks an envelope's `payload` (whatever the caller sent there, possibly nothing). Returns the identity,
 * or `null` (or throws) to refuse; every refusal becomes the same 401. {@link signedToken} makes one.
 */
export type EnvelopeVerifier = (payload: unknown) => EnvelopeIdentity | null | Promise<EnvelopeIdentity | null>;

/**
 * Where `jti`s are remembered: any `bedrock-action-groups/stores` store. A `jti` is claimed with
 * `put('envelope-jti', jti, { expiresAt }, { ownerId: <fresh random id> })`; the store's 409 for a key
 * owned by someone else is what refuses the second use, atomically in both stores.
 */
export interface EnvelopeReplayStore {
  put(kind: string, key: string, value: { expiresAt: number }, options: { ownerId: string }): Promise<unknown>;
}

/**
 * Event names for the envelope: a map `{ event_name: 'Group.operation' }`, or a group, whose operation
 * names are the event names; a list combines several.
 */
export type EnvelopeEvents = ActionGroup | Readonly<Record<string, string>> | readonly (ActionGroup | Readonly<Record<string, string>>)[];

/** Options of `router.envelope`. */
export interface EnvelopeOptions {
  /** Checks the envelope's `payload` and names the caller; {@link signedToken} checks an HMAC-signed token. */
  verify: EnvelopeVerifier;
  /** Which operation each `event_name` runs. The operations must be on the router already (`router.add`). */
  events: EnvelopeEvents;
  /** The HTTP path the envelope is POSTed to (default `/lambda`), also through API Gateway. */
  path?: string;
  /** Refuses a `jti` seen before (and, while set, a payload without one): any `./stores` store. */
  replayStore?: EnvelopeReplayStore;
}
