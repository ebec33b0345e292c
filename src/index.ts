// Core public API only: nothing here may load an AWS SDK, HubSpot or OpenAI module.
export { actionGroup, ActionGroup, hasBody, type ActionGroupConfig, type HandlerResult, type HttpMethod, type InputSchema, type Operation, type OperationConfig, type OperationDoors, type GroupHttpReplies, type HttpReplyInfo } from './core/operation.js';
export { ActionError, isActionError, type ActionErrorOptions, type ErrorBody } from './core/errors.js';
export { createRouter, Router, type AddOptions, type RouterOptions } from './router.js';
export type { ActionContext, AgentInfo, CallInfo, Caller, Door, LambdaContext } from './core/context.js';
export type { InvocationRecord } from './core/execute.js';
export type { FieldProblem } from './core/validation.js';
export { createLogger, type Logger, type LoggerOptions, type LogFields, type LogLevel } from './core/logger.js';
export type { FieldInfo } from './core/fields.js';
export type { BedrockOpenApiEvent, BedrockOpenApiResponse } from './doors/bedrock-openapi.js';
export type { BedrockFunctionEvent, BedrockFunctionResponse } from './doors/bedrock-function.js';
export type { BedrockParameter } from './doors/bedrock-common.js';
export type { InvocationInput, ReturnControlOptions, ReturnControlPayload, ReturnControlResult } from './doors/return-control.js';
export type { ScheduledJob, ScheduleInput, JobContext } from './doors/schedule/types.js';
export type { CognitoTrigger, CognitoTriggerContext, CognitoTriggerEvent } from './doors/cognito/types.js';
export * from './schema/index.js';
export { createCursorCodec, cursorScope, deriveCursorSecret, MAX_CURSOR_LENGTH, type CursorCodec, type CursorCodecOptions, type CursorState } from './kit/cursor.js';
export type { Env } from './kit/env.js';
export type { ApiGatewayResult, ApiGatewayV1Event, ApiGatewayV2Event } from './doors/api-gateway.js';
