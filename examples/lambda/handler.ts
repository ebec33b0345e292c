// One Lambda for the OrderStatus group: the same handler answers the Bedrock agent (OpenAPI or function
// details action group), AgentCore Gateway, and API Gateway or a Function URL for web callers.
// Schemas for the agent: `npx bedrock-action-groups openapi examples/lambda/handler.js --out openapi/`
// writes openapi/OrderStatus.openapi.json (+ .functions.json, .agentcore.json); deploy-cdk.txt uploads it.
import { createRouter } from 'bedrock-action-groups';
import { toLambda } from 'bedrock-action-groups/lambda';
import { orderStatusGroup } from '../order-status.ts';

export const router = createRouter().add(orderStatusGroup());

export const handler = toLambda(router);
