// Reply sizing on agent doors counts UTF-8 bytes, as Bedrock does, not UTF-16 units: every case here
// is multi-byte text, where the two differ.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionGroup, createRouter } from '../../src/index.js';
import { shrinkReply } from '../../src/core/reply-size.js';
import { bedrockFunctionEvent } from '../../src/testing/index.js';
import { memoryLogger } from '../support/logger.js';

type FnReply = { response: { functionResponse: { responseState?: string; responseBody: { TEXT: { body: string } } } } };
const textOf = (r: unknown) => (r as FnReply).response.functionResponse.responseBody.TEXT.body;

/** A router whose `echo` operation replies with the text it is given, and `list` with that many items. */
function router(maxResponseBytes: number, truncate = false) {
  const group = actionGroup({ name: 'Sizes', description: 'Replies of a chosen size' })
    .operation({
      name: 'echo', method: 'GET', path: '/echo', description: 'Reply with the given text.',
      input: z.object({ text: z.string().describe('Text to reply with') }),
      handler: ({ text }) => text,
    })
    .operation({
      name: 'list', method: 'GET', path: '/list', description: 'Reply with a list of items.',
      input: z.object({ n: z.number().int().describe('How many items'), note: z.string().default('').describe('A note beside the items') }),
      truncate,
      handler: ({ n, note }) => ({ note, items: Array.from({ length: n }, (_, i) => ({ id: i, name: 'ñandú 🦤 café' })) }),
    });
  return createRouter({ logger: memoryLogger().logger, maxResponseBytes }).add(group);
}
const echo = (r: ReturnType<typeof router>, text: string) => r.handle(bedrockFunctionEvent({ actionGroup: 'Sizes', function: 'echo', parameters: { text } }));

describe('maxResponseBytes counts UTF-8 bytes', () => {
  // 'é' is 2 bytes in 1 UTF-16 unit; '🦤' is 4 bytes in 2 units.
  const exact = `${'é'.repeat(300)}${'🦤'.repeat(100)}`; // 600 + 400 = 1000 bytes, 500 UTF-16 units

  it('sends a multi-byte reply of exactly maxResponseBytes as is', async () => {
    expect([Buffer.byteLength(exact), exact.length]).toEqual([1000, 500]);
    const reply = await echo(router(1000), exact);
    expect((reply as FnReply).response.functionResponse.responseState).toBeUndefined();
    expect(textOf(reply)).toBe(exact);
  });

  it('refuses a multi-byte reply one byte over maxResponseBytes with a 413 naming its size in bytes', async () => {
    const reply = await echo(router(1000), `${exact}a`);
    expect((reply as FnReply).response.functionResponse.responseState).toBe('REPROMPT');
    expect(JSON.parse(textOf(reply)).error).toEqual({
      code: 'RESPONSE_TOO_LARGE',
      message: 'The reply of echo is 1001 bytes, over the 1000-byte limit an agent accepts. Narrow the request: ask for fewer items (a smaller page_size), a shorter date range or more specific filters, then call again.',
      details: { bytes: 1001, maxBytes: 1000 },
    });
  });

  it('truncates multi-byte items until the UTF-8 size fits, keeping as many as fit', async () => {
    const reply = await router(1000, true).handle(bedrockFunctionEvent({ actionGroup: 'Sizes', function: 'list', parameters: { n: 100 } }));
    const text = textOf(reply);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1000);
    const body = JSON.parse(text);
    expect(body.truncated).toBe(true);
    expect(body.items.length).toBeGreaterThan(5);
    expect(Buffer.byteLength(JSON.stringify({ ...body, items: [...body.items, body.items[0]] }))).toBeGreaterThan(1000);
  });

  it('with truncate, still answers 413 when the reply cannot fit even with every list emptied', async () => {
    const note = 'ñ'.repeat(600); // 1200 bytes outside any list
    const reply = await router(1000, true).handle(bedrockFunctionEvent({ actionGroup: 'Sizes', function: 'list', parameters: { n: 3, note } }));
    expect((reply as FnReply).response.functionResponse.responseState).toBe('REPROMPT');
    expect(JSON.parse(textOf(reply)).error).toMatchObject({ code: 'RESPONSE_TOO_LARGE', details: { maxBytes: 1000 } });
  });
});

describe('shrinkReply', () => {
  it('checks the final size: a value whose lists are all emptied and still too large is a 413, not an oversize reply', () => {
    const output = { note: 'ü'.repeat(40), items: ['a', 'b'] }; // the note alone is 80 bytes
    const text = JSON.stringify(output);
    expect(() => shrinkReply('op', output, text, 60, true)).toThrow(expect.objectContaining({ status: 413, code: 'RESPONSE_TOO_LARGE', details: { bytes: Buffer.byteLength(text), maxBytes: 60 } }));
  });

  it('returns the shortened value and its text when it fits, in bytes', () => {
    const output = { items: Array.from({ length: 20 }, () => 'ü'.repeat(5)) }; // each item: 10 bytes + 3 of JSON
    const { text, value } = shrinkReply('op', output, JSON.stringify(output), 100, true);
    expect(JSON.parse(text)).toEqual(value);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(100);
    expect((value as { truncated: boolean }).truncated).toBe(true);
    expect(output.items).toHaveLength(20); // the handler's value is left as it was
  });
});
