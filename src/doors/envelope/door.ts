import type { LambdaContext } from '../../core/context.js';
import type { DoorPlugin } from '../../core/door.js';
import { tryStringify } from '../../core/safe-json.js';
import type { Registry } from '../../core/registry.js';
import { isRecord } from '../../util/is-record.js';
import { builtinAt } from '../http/builtins.js';
import type { HttpDoor } from '../http/door.js';
import { answerEnvelope, unserialisable, type EnvelopeSetup } from './answer.js';
import { resolveEvents } from './events.js';
import { envelopeRoute } from './http-route.js';
import type { EnvelopeOptions } from './types.js';

const PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@/-]*$/;

/** A direct invocation carrying an envelope: a `body` object naming an event (the payload is checked later). */
function isEnvelope(event: unknown): event is Record<string, unknown> {
  if (!isRecord(event) || !isRecord(event.body)) return false;
  const body = event.body;
  return body.event_name !== undefined || body.event !== undefined;
}

/** The HTTP path of the envelope: an exact path no built-in route or operation answers `POST` at. */
function checkPath(http: HttpDoor, path: unknown): string {
  if (typeof path !== 'string' || !PATH.test(path)) throw new Error(`router.envelope: "path" must be a plain absolute path such as "/lambda", got ${JSON.stringify(path)}`);
  if (builtinAt(http, path)) throw new Error(`router.envelope: "path" ${path} is taken by a built-in route`);
  const match = http.routes().match('POST', path);
  if (match.kind === 'route') throw new Error(`router.envelope: POST ${path} is the operation "${match.route.op.group.name}.${match.route.op.name}"; choose another "path"`);
  return path;
}

/**
 * The event-envelope door: `{ payload, body: { event_name | event, …input } }` invoked directly (answered
 * with the output itself, errors `{ error }`) or POSTed over HTTP. It accepts nothing until
 * `router.envelope` sets it up, and then runs only the operations its `events` name, whatever their
 * `doors` option: the envelope is its own door, with its own credential.
 */
export class EnvelopeDoor implements DoorPlugin {
  readonly #registry: Registry;
  readonly #http: HttpDoor;
  #setup: EnvelopeSetup | undefined;

  constructor(registry: Registry, http: HttpDoor) {
    this.#registry = registry;
    this.#http = http;
  }

  /** Sets the envelope up (once per router) and serves its HTTP path. Throws naming a bad option. */
  configure(options: EnvelopeOptions): void {
    if (this.#setup) throw new Error(`router.envelope: already set up (at ${this.#setup.path}); call it once per router`);
    if (!isRecord(options) || typeof options.verify !== 'function') throw new Error('router.envelope: "verify" must be a function, such as signedToken({ secret })');
    const replayStore = options.replayStore;
    if (replayStore !== undefined && (!isRecord(replayStore) || typeof replayStore.put !== 'function')) {
      throw new Error('router.envelope: "replayStore" must be a store of bedrock-action-groups/stores (with put)');
    }
    const events = resolveEvents(this.#registry, options.events);
    const path = checkPath(this.#http, options.path ?? '/lambda');
    const setup: EnvelopeSetup = { registry: this.#registry, verify: options.verify, events, path, replayStore };
    this.#http.plugged.set(path, envelopeRoute(setup));
    this.#setup = setup;
  }

  describe(): string | undefined {
    const setup = this.#setup;
    return setup && `an event envelope { payload: { token, signature }, body: { event_name, … } } (events: ${[...setup.events.keys()].join(', ')})`;
  }

  matches(event: unknown): boolean {
    return this.#setup !== undefined && isEnvelope(event);
  }

  async handle(event: unknown, lambdaContext: LambdaContext | undefined): Promise<unknown> {
    const setup = this.#setup as EnvelopeSetup;
    const body = (await answerEnvelope(setup, event as Record<string, unknown>, lambdaContext)).body ?? null;
    // Checked here, not left to the Lambda runtime, whose serialisation failure would hide the cause.
    return tryStringify(body) === undefined ? unserialisable(setup).body : body;
  }
}
