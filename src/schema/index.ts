// Schemas generated from one group definition, and the lint that guards them.
export { toOpenApi, type OpenApiDocument, type OpenApiOptions } from './openapi.js';
export { toFunctionSchema, type FunctionDefinition, type FunctionParameter, type FunctionParameterType, type FunctionSchema } from './function-schema.js';
export { toAgentCoreTools, type AgentCoreTool } from './agentcore-tools.js';
export { lintBedrock, type LintErrorRule, type LintFinding, type LintOptions, type LintProblem, type LintRule, type LintSeverity, type LintWarningRule } from './lint.js';
export type { JsonSchema } from './json-schema.js';
