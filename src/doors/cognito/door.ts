import { randomUUID } from 'node:crypto';
import type { LambdaContext } from '../../core/context.js';
import type { DoorPlugin } from '../../core/door.js';
import type { Logger } from '../../core/logger.js';
import { isRecord } from '../../util/is-record.js';
import type { CognitoTrigger, CognitoTriggerEvent } from './types.js';

/** The door for Cognito user pool triggers, holding the triggers registered with it by trigger source. */
export class CognitoDoor implements DoorPlugin {
  readonly #triggers = new Map<string, CognitoTrigger>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Registers a trigger for each of its `triggerSources`; a source has one handler. */
  add(trigger: CognitoTrigger): void {
    for (const source of trigger.triggerSources) {
      if (this.#triggers.has(source)) throw new Error(`Router: trigger source "${source}" already has a handler`);
    }
    for (const source of trigger.triggerSources) this.#triggers.set(source, trigger);
  }

  describe(): string | undefined {
    return this.#triggers.size ? `a Cognito trigger event (triggerSource: ${[...this.#triggers.keys()].join(', ')})` : undefined;
  }

  matches(event: unknown): boolean {
    return isRecord(event) && typeof event.triggerSource === 'string' && typeof event.userPoolId === 'string';
  }

  /** Runs the trigger registered for the event's `triggerSource`; an unregistered source is an Error. */
  async handle(event: unknown, lambdaContext: LambdaContext | undefined): Promise<CognitoTriggerEvent> {
    const e = event as CognitoTriggerEvent;
    const trigger = this.#triggers.get(e.triggerSource);
    if (!trigger) {
      throw new Error(`No handler for Cognito trigger source "${e.triggerSource}"; registered: ${[...this.#triggers.keys()].join(', ') || 'none'}.`);
    }
    const requestId = lambdaContext?.awsRequestId ?? randomUUID();
    return trigger.handle(e, {
      requestId,
      logger: this.#logger.child({ requestId, triggerSource: e.triggerSource }),
      ...(lambdaContext ? { lambdaContext } : {}),
    });
  }
}
