import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionGroup, createRouter, type CognitoTriggerEvent, type ScheduleInput } from '../../src/index.js';
import { lambdaContext } from '../../src/testing/index.js';
import { memoryLogger } from '../support/logger.js';

const preSignUp: CognitoTriggerEvent = {
  version: '1',
  triggerSource: 'PreSignUp_SignUp',
  region: 'us-east-1',
  userPoolId: 'us-east-1_EXAMPLE',
  userName: 'ana',
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client' },
  request: { userAttributes: { email: 'ana@example.com' } },
  response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
};

describe('Cognito triggers', () => {
  it('dispatches by triggerSource and returns the handler result', async () => {
    const router = createRouter({ logger: memoryLogger().logger }).cognito({
      triggerSources: ['PreSignUp_SignUp'],
      handle: async (event) => ({ ...event, response: { ...event.response, autoConfirmUser: true } }),
    });
    expect(await router.handle(preSignUp)).toEqual({ ...preSignUp, response: { ...preSignUp.response, autoConfirmUser: true } });
  });

  it('rejects an unregistered trigger source, naming the registered ones', async () => {
    const router = createRouter().cognito({ triggerSources: ['PreSignUp_SignUp', 'PreSignUp_ExternalProvider'], handle: async (e) => e });
    await expect(router.handle({ ...preSignUp, triggerSource: 'PostConfirmation_ConfirmSignUp' })).rejects.toThrow(
      'No handler for Cognito trigger source "PostConfirmation_ConfirmSignUp"; registered: PreSignUp_SignUp, PreSignUp_ExternalProvider.',
    );
  });
});

describe('scheduled jobs', () => {
  const recorder = (name: string, seen: ScheduleInput[]) => ({ name, run: async (input: ScheduleInput) => (seen.push(input), { ran: name }) });

  it('runs the job for an EventBridge scheduled event and for a direct invocation', async () => {
    const seen: ScheduleInput[] = [];
    const router = createRouter({ logger: memoryLogger().logger }).schedule(recorder('kb-ingest', seen));
    const scheduled = {
      version: '0',
      id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '123456789012',
      time: '2026-11-23T06:00:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:123456789012:rule/nightly'],
      detail: {},
    };
    expect(await router.handle(scheduled, lambdaContext())).toEqual({ ran: 'kb-ingest' });
    expect(await router.handle({ since: '2026-11-01', limit: 10, manual: true })).toEqual({ ran: 'kb-ingest' });
    expect(seen).toEqual([{}, { since: '2026-11-01', limit: 10, manual: true }]);
  });

  it('needs a job name when several jobs are registered', async () => {
    const seen: ScheduleInput[] = [];
    const router = createRouter({ logger: memoryLogger().logger }).schedule(recorder('a', seen)).schedule(recorder('b', seen));
    expect(await router.handle({ job: 'b', manual: true })).toEqual({ ran: 'b' });
    await expect(router.handle({ manual: true })).rejects.toThrow('Several scheduled jobs are registered (a, b); name one with "job" in the event');
    await expect(router.handle({ job: 'c' })).rejects.toThrow('No scheduled job named "c"; registered: a, b.');
  });

  it('does not treat plain objects as job events when no job is registered', async () => {
    await expect(createRouter().handle({ since: '2026-01-01' })).rejects.toThrow(/^Unrecognised event/);
  });
});

describe('door detection', () => {
  it('tries the doors in the documented order: AgentCore, Bedrock OpenAPI, Bedrock function, HTTP, Cognito, schedule', async () => {
    const group = actionGroup({ name: 'G', description: 'g' }).operation({
      name: 'x', method: 'GET', path: '/x', description: 'x', input: z.object({}), handler: () => 'from x',
    });
    const router = createRouter().add(group).schedule({ name: 'j', run: async () => 'job ran' }).cognito({ triggerSources: ['PreSignUp_SignUp'], handle: async (e) => ({ ...e, response: { seen: true } }) });
    const agentCore = { clientContext: { custom: { bedrockAgentCoreToolName: 't___x' } } };
    // An event that two doors would accept goes to the earlier one.
    expect(await router.handle({ messageVersion: '1.0', actionGroup: 'G', apiPath: '/x', httpMethod: 'GET' }, agentCore)).toBe('from x');
    const both = (await router.handle({ messageVersion: '1.0', actionGroup: 'G', apiPath: '/x', httpMethod: 'GET', function: 'x' })) as { response: Record<string, unknown> };
    expect(both.response.apiPath).toBe('/x');
    const fn = (await router.handle({ messageVersion: '1.0', actionGroup: 'G', function: 'x', httpMethod: 'GET', rawPath: '/x', version: '2.0', requestContext: { http: { method: 'GET' } } })) as { response: Record<string, unknown> };
    expect(fn.response.function).toBe('x');
    const http = (await router.handle({ version: '2.0', rawPath: '/x', routeKey: '$default', requestContext: { http: { method: 'GET' } }, triggerSource: 'PreSignUp_SignUp', userPoolId: 'p' })) as { statusCode: number; body: string };
    expect([http.statusCode, http.body]).toEqual([200, '"from x"']);
    expect(((await router.handle({ ...preSignUp, source: 'aws.events' })) as { response: unknown }).response).toEqual({ seen: true });
    expect(await router.handle({ source: 'aws.events', detail: {} })).toBe('job ran');
    await expect(router.handle({ nothing: true })).rejects.toThrow(/^Unrecognised event \(an object with keys: nothing\)/);
  });
});
