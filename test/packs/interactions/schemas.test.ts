import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { interactionOps } from '../../../src/packs/interactions/index.js';
import { lintBedrock, toFunctionSchema, toOpenApi } from '../../../src/schema/index.js';

describe('InteractionOps schemas', () => {
  it('passes the Bedrock lint', () => {
    expect(lintBedrock(interactionOps())).toEqual([]);
  });

  it('gives a valid OpenAPI 3.0.0 document: ticketId in the path, the rest in the query', async () => {
    const doc = toOpenApi(interactionOps());
    await SwaggerParser.validate(structuredClone(doc) as never);
    const paths = doc.paths as Record<string, { get: { operationId: string; parameters: { name: string; in: string; required?: boolean }[] } }>;
    const params = (path: string) => paths[path]!.get.parameters.map((p) => [p.name, p.in, p.required ?? false]);
    expect(paths['/call-transcription/{ticketId}']!.get.operationId).toBe('getCallTranscription');
    expect(params('/call-transcription/{ticketId}')).toEqual([
      ['ticketId', 'path', true],
      ['page_size', 'query', false],
      ['cursor', 'query', false],
      ['direction', 'query', false],
    ]);
    expect(params('/email-thread/{ticketId}')).toEqual([
      ['ticketId', 'path', true],
      ['threadId', 'query', false],
      ['page_size', 'query', false],
      ['cursor', 'query', false],
      ['direction', 'query', false],
    ]);
  });

  it('gives function details', () => {
    const fns = toFunctionSchema(interactionOps()).functions;
    expect(fns.map((f) => [f.name, Object.entries(f.parameters).map(([k, p]) => `${k}:${p.type}:${p.required}`)])).toEqual([
      ['getCallTranscription', ['ticketId:string:true', 'page_size:integer:false', 'cursor:string:false', 'direction:string:false']],
      ['getEmailThread', ['ticketId:string:true', 'threadId:string:false', 'page_size:integer:false', 'cursor:string:false', 'direction:string:false']],
    ]);
  });
});
