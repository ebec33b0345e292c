import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { metricsOps } from '../../../src/packs/metrics/index.js';
import { lintBedrock, toFunctionSchema, toOpenApi } from '../../../src/schema/index.js';

describe('Analytics schemas', () => {
  it('passes the Bedrock lint', () => {
    expect(lintBedrock(metricsOps())).toEqual([]);
  });

  it('gives a valid OpenAPI 3.0.0 document with the nine GET paths and their query parameters', async () => {
    const doc = toOpenApi(metricsOps());
    await SwaggerParser.validate(structuredClone(doc) as never);
    expect(doc.openapi).toBe('3.0.0');
    const paths = doc.paths as Record<string, { get: { operationId: string; parameters: { name: string; in: string; required?: boolean }[] } }>;
    expect(Object.keys(paths)).toHaveLength(9);
    const categories = paths['/analytics/categories']!.get;
    expect(categories.operationId).toBe('topCategories');
    expect(categories.parameters.map((p) => [p.name, p.in, p.required ?? false])).toEqual([
      ['from', 'query', false],
      ['to', 'query', false],
      ['range', 'query', false],
      ['when', 'query', false],
      ['dateRange', 'query', false],
      ['top', 'query', false],
    ]);
  });

  it('gives function details with every parameter optional and typed', () => {
    const fns = toFunctionSchema(metricsOps()).functions;
    expect(fns.map((f) => f.name)).toEqual([
      'topCategories', 'topSubcategories', 'ticketsBySource', 'topAgents', 'closedVolume',
      'resolutionTimeByAgent', 'resolutionTimeAvg', 'resolutionTimeBySource', 'slowCases',
    ]);
    const bySource = fns.find((f) => f.name === 'resolutionTimeBySource')!;
    expect(Object.fromEntries(Object.entries(bySource.parameters).map(([k, p]) => [k, [p.type, p.required]]))).toEqual({
      from: ['string', false], to: ['string', false], range: ['string', false], when: ['string', false], dateRange: ['string', false], order: ['string', false],
    });
  });
});
