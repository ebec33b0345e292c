import type { CallInfo, Caller, LambdaContext } from '../../core/context.js';
import { ActionError, clip, isActionError } from '../../core/errors.js';
import { copyInput } from '../../core/input.js';
import type { Logger } from '../../core/logger.js';
import type { Operation } from '../../core/operation.js';
import type { Registry } from '../../core/registry.js';
import { isRecord } from '../../util/is-record.js';
import { claimJti } from './replay.js';
import type { EnvelopeIdentity, EnvelopeReplayStore, EnvelopeVerifier } from './types.js';

/** One router's envelope, as `router.envelope` set it up. */
export interface EnvelopeSetup {
  readonly registry: Registry;
  readonly verify: EnvelopeVerifier;
  readonly events: ReadonlyMap<string, Operation>;
  readonly path: string;
  readonly replayStore: EnvelopeReplayStore | undefined;
}

/** What an envelope produced: the HTTP status and the body (the output, or `{ error }`). */
export interface EnvelopeAnswer {
  status: number;
  body: unknown;
}

/** The one answer to every refused payload: no hint of what was wrong with it. */
export const REFUSED_MESSAGE = 'The envelope payload is missing, malformed, expired or not validly signed.';

function refused(): ActionError {
  return new ActionError(401, REFUSED_MESSAGE, { code: 'UNAUTHORIZED' });
}

/** The identity the verifier vouches for; every refusal (null, a throw, a malformed identity) is one 401. */
async function identify(setup: EnvelopeSetup, payload: unknown, logger: Logger): Promise<EnvelopeIdentity> {
  let identity: EnvelopeIdentity | null;
  try {
    identity = await setup.verify(payload);
  } catch (error) {
    logger.info('envelope payload refused', { reason: error instanceof Error ? error.message : String(error) });
    throw refused();
  }
  if (identity === null || identity === undefined) {
    logger.info('envelope payload refused');
    throw refused();
  }
  if (!isRecord(identity) || typeof identity.sub !== 'string' || identity.sub === '' || !Number.isFinite(identity.expiresAt)) {
    logger.error('the envelope verifier returned no valid identity ({ sub, expiresAt, role?, jti? }); refused');
    throw refused();
  }
  return identity;
}

/** With a replay store, a payload is accepted once: a `jti` seen before (or none at all) is refused. */
async function checkReplay(store: EnvelopeReplayStore, identity: EnvelopeIdentity, logger: Logger): Promise<void> {
  const jti = identity.jti;
  if (typeof jti !== 'string' || jti === '') {
    logger.warn('envelope payload refused: a replay store is set and the payload has no jti', { userId: identity.sub });
    throw refused();
  }
  let fresh: boolean;
  try {
    fresh = await claimJti(store, jti, identity.expiresAt);
  } catch (error) {
    logger.error('the envelope replay store failed', { error });
    throw new ActionError(503, 'The envelope replay check is unavailable. Try again later.', { code: 'SERVICE_UNAVAILABLE' });
  }
  if (!fresh) {
    logger.warn('envelope payload refused: jti replayed', { userId: identity.sub, jti: clip(jti) });
    throw refused();
  }
}

/** The event's operation and its raw input: `body` without the key that named the event. */
function eventCall(events: ReadonlyMap<string, Operation>, body: unknown): { op: Operation; input: Record<string, unknown> } {
  if (!isRecord(body)) throw new ActionError(400, 'The envelope needs a "body" object: { "event_name": "<event>", …the event\'s fields }.', { code: 'BAD_REQUEST' });
  const key = typeof body.event_name === 'string' ? 'event_name' : typeof body.event === 'string' ? 'event' : undefined;
  if (key === undefined) throw new ActionError(400, 'The envelope\'s "body.event_name" (or its alias "body.event") must be a string naming the event.', { code: 'BAD_REQUEST' });
  const name = body[key] as string;
  const op = events.get(name);
  if (!op) {
    const known = [...events.keys()];
    throw new ActionError(404, `Unknown event "${clip(name)}". Known events: ${known.join(', ')}.`, { code: 'UNKNOWN_EVENT', details: { events: known } });
  }
  const input = copyInput(body);
  delete input[key];
  return { op, input };
}

/** The answer when the output cannot be written as JSON (a cycle, a BigInt): the developer's bug, logged. */
export function unserialisable(setup: EnvelopeSetup): EnvelopeAnswer {
  setup.registry.logger.error('the envelope reply could not be serialised');
  return errorAnswer(new ActionError(500, 'The reply could not be written; the details were logged. Try again later.', { code: 'INTERNAL' }));
}

function errorAnswer(error: ActionError): EnvelopeAnswer {
  return { status: error.status, body: { error: error.toJSON() } };
}

/**
 * Answers one envelope `{ payload, body }`: the payload verified (401), its `jti` claimed (401 when
 * replayed), the event found (400, 404), then the operation run as the verified caller. Never rejects:
 * failures are `{ error: { code, message, details? } }` answers with their status.
 */
export async function answerEnvelope(setup: EnvelopeSetup, envelope: Record<string, unknown>, lambdaContext: LambdaContext | undefined): Promise<EnvelopeAnswer> {
  const logger = setup.registry.logger;
  try {
    const identity = await identify(setup, envelope.payload, logger);
    if (setup.replayStore) await checkReplay(setup.replayStore, identity, logger);
    const { op, input } = eventCall(setup.events, envelope.body);
    const caller: Caller = { userId: identity.sub };
    if (typeof identity.role === 'string' && identity.role !== '') caller.role = identity.role;
    const call: CallInfo = { door: 'envelope', caller };
    if (lambdaContext) call.lambdaContext = lambdaContext;
    return await setup.registry.run(op, input, call, (outcome): EnvelopeAnswer => (outcome.ok ? { status: 200, body: outcome.output } : { status: outcome.status, body: { error: outcome.error } }));
  } catch (error) {
    if (isActionError(error)) return errorAnswer(error);
    logger.error('the envelope failed unexpectedly', { error });
    return errorAnswer(new ActionError(500, 'The envelope could not be answered; the details were logged. Try again later.', { code: 'INTERNAL' }));
  }
}
