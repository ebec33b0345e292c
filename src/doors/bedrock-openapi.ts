import { ActionError } from '../core/errors.js';
import type { Operation } from '../core/operation.js';
import type { Registry } from '../core/registry.js';
import { isRecord } from '../util/is-record.js';
import type { AgentCallReader } from './agent.js';
import { bedrockReply, echoed, parametersToInput, textOf, type BedrockEventBase, type BedrockParameter, type BedrockStyle } from './bedrock-common.js';

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
export function openApiInput(event: Pick<BedrockOpenApiEvent, 'parameters' | 'requestBody'>, op: Operation): Record<string, unknown> {
  const input = parametersToInput(op, {}, event.parameters, 'parameters');
  const content = event.requestBody?.content;
  if (content === undefined) return input; // GET and DELETE carry no body
  if (!isRecord(content)) throw new ActionError(400, 'Malformed event: requestBody.content must be an object.');
  for (const [type, media] of Object.entries(content)) {
    parametersToInput(op, input, isRecord(media) ? media.properties : undefined, `requestBody.content['${type}'].properties`);
  }
  return input;
}

// Bedrock sends methods in upper case already: answered without a new string per call.
const UPPER_CASE_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
function upperCaseMethod(method: unknown): string {
  return typeof method === 'string' && UPPER_CASE_METHODS.has(method) ? method : String(method).toUpperCase();
}

function openApiOperation(registry: Registry, source: Pick<BedrockOpenApiEvent, 'actionGroup' | 'apiPath' | 'httpMethod'>): Operation {
  return registry.agentOperationByRoute(textOf(source.actionGroup), upperCaseMethod(source.httpMethod), textOf(source.apiPath));
}

/** An OpenAPI-style call (an event, or a return-of-control `apiInvocationInput`): by route, parameters and body. */
export const OPENAPI_CALL: AgentCallReader<Pick<BedrockOpenApiEvent, 'actionGroup' | 'apiPath' | 'httpMethod' | 'parameters' | 'requestBody'>> = {
  operation: openApiOperation,
  input: openApiInput,
  answer: (_source, reply) => reply,
};

/** Bedrock Agents OpenAPI-style events: found by `apiPath` + `httpMethod`, answered with `httpStatusCode` and a JSON body. */
export const OPENAPI_STYLE: BedrockStyle<BedrockOpenApiEvent, BedrockOpenApiResponse['response']> = {
  // The fields are named, not spread from OPENAPI_CALL: a spread is not side-effect free to a bundler,
  // which would then keep this door in bundles that never use it.
  operation: openApiOperation,
  input: openApiInput,
  door: 'bedrock-openapi',
  description: 'a Bedrock Agents OpenAPI-style event (messageVersion, actionGroup, apiPath, httpMethod)',
  accepts: (event) => typeof event.apiPath === 'string',
  answer: (event, reply) =>
    bedrockReply(
      {
        actionGroup: event.actionGroup,
        apiPath: event.apiPath,
        httpMethod: echoed(event.httpMethod),
        httpStatusCode: reply.status,
        responseBody: { 'application/json': { body: reply.body } },
      },
      reply,
    ),
};
