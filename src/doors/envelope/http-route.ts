import { tryStringify } from '../../core/safe-json.js';
import { DEFAULT_MAX_BODY_BYTES, readJsonObject } from '../http/body.js';
import { jsonReply, type HttpReply } from '../http/exchange.js';
import type { PluggedRoute } from '../http/host.js';
import { answerEnvelope, unserialisable, type EnvelopeAnswer, type EnvelopeSetup } from './answer.js';

// A 401 names its scheme (RFC 7235): here the envelope's own signed payload, not a bearer token.
const CHALLENGE = { 'www-authenticate': 'Envelope' } as const;
/** The HTTP reply of an answer: its JSON with its status, 204 for an operation that returned nothing. */
function httpReply(setup: EnvelopeSetup, answer: EnvelopeAnswer): HttpReply {
  if (answer.body === undefined) return { status: 204, headers: {} };
  const text = tryStringify(answer.body);
  if (text === undefined) return httpReply(setup, unserialisable(setup));
  return jsonReply(answer.status, text, answer.status === 401 ? CHALLENGE : undefined);
}

/**
 * `POST <path>` (default `/lambda`) on the HTTP door, also through API Gateway: the body is the envelope
 * JSON, the reply the operation's output with the outcome's status. It needs no `authenticate` identity:
 * the envelope's payload is its credential.
 */
export function envelopeRoute(setup: EnvelopeSetup): PluggedRoute {
  return {
    allow: ['POST'],
    run: async (ex, http) => {
      const envelope = await readJsonObject(ex, http.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, `POST ${setup.path}`);
      return httpReply(setup, await answerEnvelope(setup, envelope, ex.lambdaContext));
    },
  };
}
