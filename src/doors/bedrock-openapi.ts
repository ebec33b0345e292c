import { ActionError } from '../core/errors.js';
import type { LambdaContext } from '../core/context.js';
import { mapMaybe, type MaybePromise } from '../core/maybe-async.js';
import type { AgentCallReader, AgentReply, Router } from '../core/router.js';
import { bedrockCall, echoed, parametersToInput, type BedrockEventBase, type BedrockParameter } from './bedrock-common.js';
import { isRecord, type DoorModule } from './door.js';

/** A Bedrock Agents action group event for a group defined with an OpenAPI schema. */
export interface BedrockOpenApiEvent extends BedrockEventBase {
  apiPath: string;
  httpMethod: string;
  parameters?: BedrockParameter[];
  requestBody?: { content?: Record<string, { properties?: BedrockParameter[] }> };
}

/** The reply Bedrock expects for an OpenAPI-style action group. */
export interface BedrockOpenApiResponse {
  messageVersion: '1.0';
  response: {
    actionGroup: string;
    apiPath: string;
    httpMethod: string;
    httpStatusCode: number;
    responseBody: { 'application/json': { body: string } };
  };
  sessionAttributes: Record<string, string>;
  promptSessionAttributes: Record<string, string>;
}

/** Raw input of an OpenAPI-style call: `parameters` plus the JSON body's `properties`, one flat object. */
export function openApiInput(event: Pick<BedrockOpenApiEvent, 'parameters' | 'requestBody'>): Record<string, unknown> {
  const input = parametersToInput({}, event.parameters, 'parameters');
  const content = event.requestBody?.content;
  if (content === undefined) return input; // GET and DELETE carry no body
  if (!isRecord(content)) throw new ActionError(400, 'Malformed event: requestBody.content must be an object.');
  for (const [type, media] of Object.entries(content)) {
    parametersToInput(input, isRecord(media) ? media.properties : undefined, `requestBody.content['${type}'].properties`);
  }
  return input;
}

/** An OpenAPI-style call (an event, or a return-of-control `apiInvocationInput`): by route, parameters and body. */
export const OPENAPI_CALL: AgentCallReader<Pick<BedrockOpenApiEvent, 'actionGroup' | 'apiPath' | 'httpMethod' | 'parameters' | 'requestBody'>> = {
  operation: (router, source) => router.resolveByRoute(String(source.actionGroup), String(source.httpMethod).toUpperCase(), String(source.apiPath)),
  input: openApiInput,
};

/** Answers an OpenAPI-style event: find the operation by `apiPath` + `httpMethod`, run it, reply. */
export function handleBedrockOpenApi(event: BedrockOpenApiEvent, lambdaContext: LambdaContext | undefined, router: Router): MaybePromise<BedrockOpenApiResponse> {
  const call = bedrockCall(event, 'bedrock-openapi', router.roleAttribute, lambdaContext);
  return mapMaybe(router.runForAgent(call, event, OPENAPI_CALL), (r) => openApiResponse(event, r));
}

function openApiResponse(event: BedrockOpenApiEvent, reply: AgentReply): BedrockOpenApiResponse {
  return {
    messageVersion: '1.0',
    response: {
      actionGroup: event.actionGroup,
      apiPath: event.apiPath,
      httpMethod: echoed(event.httpMethod),
      httpStatusCode: reply.status,
      responseBody: { 'application/json': { body: reply.body } },
    },
    sessionAttributes: reply.session,
    promptSessionAttributes: reply.promptSession,
  };
}

/** The door for Bedrock Agents OpenAPI-style events, as `router.handle` tries it. */
export const bedrockOpenApiDoor: DoorModule = {
  describe: () => 'a Bedrock Agents OpenAPI-style event (messageVersion, actionGroup, apiPath, httpMethod)',
  matches: (event) => isRecord(event) && typeof event.messageVersion === 'string' && typeof event.actionGroup === 'string' && typeof event.apiPath === 'string',
  handle: (event, lambdaContext, router) => handleBedrockOpenApi(event as unknown as BedrockOpenApiEvent, lambdaContext, router),
};
