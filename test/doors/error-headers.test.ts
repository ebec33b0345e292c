// An ActionError's own headers (Retry-After on a throttled upstream) reach HTTP clients, whichever way the
// group wraps its errors, and survive router.invoke; agent doors carry no headers.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActionError, actionGroup, createRouter, isActionError } from '../../src/index.js';
import { bedrockFunctionEvent } from '../../src/testing/index.js';
import { memoryLogger } from '../support/logger.js';

const throttled = (wrap: boolean) =>
  actionGroup({ name: wrap ? 'Wrapped' : 'Plain', description: 'Throttled upstream', ...(wrap ? { http: { error: (e) => ({ ok: false, reason: e.message }) } } : {}) }).operation({
    name: wrap ? 'busyWrapped' : 'busy',
    method: 'GET',
    path: wrap ? '/busy-wrapped' : '/busy',
    description: 'Always throttled.',
    input: z.object({}),
    handler: () => {
      throw new ActionError(503, 'The upstream is busy; retry after 7 seconds.', { code: 'UPSTREAM_THROTTLED', headers: { 'Retry-After': '7' } });
    },
  });

describe("a handler's ActionError headers", () => {
  const router = createRouter({ logger: memoryLogger().logger }).add(throttled(false)).add(throttled(true));

  it('are sent over HTTP with the default error body and with a group wrapper', async () => {
    const plain = await router.fetch(new Request('http://x/busy'));
    expect(plain.status).toBe(503);
    expect(plain.headers.get('retry-after')).toBe('7');
    expect(await plain.json()).toEqual({ error: { code: 'UPSTREAM_THROTTLED', message: 'The upstream is busy; retry after 7 seconds.' } });
    const wrapped = await router.fetch(new Request('http://x/busy-wrapped'));
    expect(wrapped.headers.get('retry-after')).toBe('7');
    expect(await wrapped.json()).toEqual({ ok: false, reason: 'The upstream is busy; retry after 7 seconds.' });
  });

  it('survive router.invoke', async () => {
    const error = await router.invoke('Plain', 'busy', {}).catch((e: unknown) => e);
    expect(isActionError(error) && error.headers).toEqual({ 'retry-after': '7' });
  });

  it('are not part of an agent reply', async () => {
    const reply = (await router.handle(bedrockFunctionEvent({ actionGroup: 'Plain', function: 'busy' }))) as Record<string, unknown>;
    expect(JSON.stringify(reply)).not.toContain('retry-after');
    expect(JSON.stringify(reply)).toContain('retry after 7 seconds');
  });
});
