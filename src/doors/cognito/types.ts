import type { LambdaContext } from '../../core/context.js';
import type { Logger } from '../../core/logger.js';

/** The common shape of a Cognito user pool trigger event. */
export interface CognitoTriggerEvent {
  version?: string;
  triggerSource: string;
  region?: string;
  userPoolId: string;
  userName: string;
  callerContext?: { awsSdkVersion?: string; clientId?: string };
  request: { userAttributes: Record<string, string>; clientMetadata?: Record<string, string>; [key: string]: unknown };
  response: Record<string, unknown>;
}

/** What a trigger handler gets besides the event. */
export interface CognitoTriggerContext {
  requestId: string;
  logger: Logger;
  lambdaContext?: LambdaContext;
}

/** A trigger registered with `router.cognito(trigger)`, dispatched by the event's `triggerSource`. */
export interface CognitoTrigger {
  /** The `triggerSource` values it handles, e.g. `['PreSignUp_SignUp', 'PreSignUp_ExternalProvider']`. */
  readonly triggerSources: readonly string[];
  /** Returns the (possibly modified) event; throwing blocks the Cognito flow with the error's message. */
  handle(event: CognitoTriggerEvent, ctx: CognitoTriggerContext): Promise<CognitoTriggerEvent>;
}
