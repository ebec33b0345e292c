// POST /prompt/stream: the answer as server-sent events while the agent writes it — `chunk` { text }…,
// then `done` { conversationId, sessionId, files, timestamp }, or `error` { statusCode, message }. The reply
// starts with the agent's first event, so a refusal before any text (a file not allowed, a throttled agent)
// is an ordinary error reply with its status; after it, a failure is an `error` event. A client that goes
// away cancels the stream, which aborts the agent; the conversation is kept only after `done`.
import type { AgentEvent } from '../../agents/types.js';
import { ActionError, isActionError } from '../../core/errors.js';
import type { ActionGroup } from '../../core/operation.js';
import type { DocumentsConfig } from './config.js';
import { errorEnvelope } from './envelope.js';
import { finishPrompt, preparePrompt, promptInput } from './prompt.js';

const encoder = new TextEncoder();
const event = (name: string, data: unknown) => encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no', 'x-content-type-options': 'nosniff' };

/** Adds streamPrompt to the group. */
export function addStreamPrompt(group: ActionGroup, config: DocumentsConfig): void {
  group.operation({
    name: 'streamPrompt',
    method: 'POST',
    path: '/prompt/stream',
    description: 'Ask the agent about your files and get the answer as server-sent events while it is written.',
    doors: { agent: false },
    // Until the first event: the reply then runs under the stream's own deadline (the same timeoutMs).
    timeoutMs: config.timeoutMs,
    input: promptInput,
    handler: async (input, ctx) => {
      const abort = new AbortController();
      const stop = (reason: unknown) => abort.abort(reason);
      ctx.signal.addEventListener('abort', () => stop(ctx.signal.reason), { once: true });
      const deadline = setTimeout(() => stop(new ActionError(504, `streamPrompt did not finish within ${config.timeoutMs} ms.`, { code: 'TIMEOUT' })), config.timeoutMs);
      try {
        const prepared = await preparePrompt(config, input, ctx, abort.signal, true);
        const agent = config.agent as Exclude<DocumentsConfig['agent'], ActionError>;
        const events = agent.ask(prepared.request)[Symbol.asyncIterator]();
        let next: IteratorResult<AgentEvent> | undefined = await events.next();
        const stream = new ReadableStream<Uint8Array>({
          pull: async (controller) => {
            try {
              const current: IteratorResult<AgentEvent> = next ?? (await events.next());
              next = undefined;
              if (current.done) throw new ActionError(502, `The agent (${agent.name}) ended without a result.`, { code: 'BAD_GATEWAY' });
              if (current.value.type === 'chunk') return controller.enqueue(event('chunk', { text: current.value.text }));
              const { conversationId, sessionId, files, timestamp } = await finishPrompt(config, prepared, current.value.result);
              controller.enqueue(event('done', { conversationId, sessionId, files, timestamp }));
            } catch (error) {
              if (abort.signal.aborted && !isActionError(abort.signal.reason)) return; // the client went away: no one to tell
              const e = isActionError(error) ? error : new ActionError(500, 'The answer failed unexpectedly; the details were logged. Try again later.', { code: 'INTERNAL' });
              if (!isActionError(error)) ctx.logger.error('streamPrompt failed', { error });
              controller.enqueue(event('error', { statusCode: e.status, message: errorEnvelope(e.toJSON(), { operation: 'streamPrompt', status: e.status }).message }));
            }
            clearTimeout(deadline);
            controller.close();
          },
          cancel: (reason) => {
            clearTimeout(deadline);
            stop(reason ?? new Error('the client went away'));
          },
        });
        return new Response(stream, { status: 200, headers: SSE_HEADERS });
      } catch (error) {
        clearTimeout(deadline);
        stop(error);
        throw error;
      }
    },
  });
}
