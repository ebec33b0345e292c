import { beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskBlobs } from '../../../src/stores/disk-blobs.js';
import { checkTrainingJsonl } from '../../../src/packs/openai/jsonl.js';
import { harness, type FakeOpenAi, useFakeOpenAi } from './support.js';

const { server, fake: current } = useFakeOpenAi();
let fake: FakeOpenAi;
beforeEach(() => {
  fake = current();
});

const line = (value: unknown) => JSON.stringify(value);
const sys = { role: 'system', content: 'Eres soporte.' };
const user = { role: 'user', content: '¿Y mi pedido?' };
const assistant = { role: 'assistant', content: 'Ya salió.' };
const good = line({ messages: [sys, user, assistant] });
const call = { id: 'call_1', type: 'function', function: { name: 'getOrder', arguments: '{"orderId":"A-1"}' } };
const withTools = line({ messages: [user, { role: 'assistant', tool_calls: [call] }, { role: 'tool', tool_call_id: 'call_1', content: '{"status":"shipped"}' }, assistant] });

// Each bad file, the line it must be refused at, and the words of the problem.
const BAD: [string, string, number, string][] = [
  ['a line that is not JSON', `${good}\n{"messages": [\n`, 2, 'line 2 is not valid JSON'],
  ['a blank line between examples', `${good}\n\n${good}\n`, 2, 'line 2 is empty'],
  ['an array instead of an object', `${good}\n${good}\n[1,2]\n`, 3, 'line 3 is not a JSON object'],
  ['no messages', `${line({ prompt: 'hola', completion: 'buenas' })}\n`, 1, 'line 1 has no "messages" array'],
  ['empty messages', `${good}\n${line({ messages: [] })}`, 2, 'line 2 has an empty "messages" array'],
  ['an unknown role', `${line({ messages: [{ role: 'bot', content: 'x' }, assistant] })}`, 1, 'line 1 message 1 has role "bot"; expected "system", "user", "assistant" or "tool"'],
  ['no assistant message', `${good}\n${line({ messages: [sys, user] })}\n`, 2, 'line 2 has no assistant message'],
  ['empty user content', `${line({ messages: [{ role: 'user', content: '   ' }, assistant] })}\n`, 1, 'line 1 message 1 (user) has empty content'],
  ['missing assistant content', `${good}\n${good}\n${good}\n${line({ messages: [user, { role: 'assistant' }] })}\n`, 4, 'line 4 message 2 (assistant) has no content'],
  ['a tool message answering no call', `${line({ messages: [user, { role: 'tool', tool_call_id: 'call_9', content: 'x' }, assistant] })}\n`, 1, 'line 1 message 2 (tool) answers "tool_call_id" "call_9", which no earlier assistant message called'],
  ['tool call arguments that are not JSON', `${withTools}\n${line({ messages: [user, { role: 'assistant', tool_calls: [{ ...call, function: { name: 'getOrder', arguments: '{orderId' } }] }] })}\n`, 2, 'line 2 message 2 (assistant), tool call 1 has "function.arguments" that is not valid JSON'],
  ['a tool call without an id', `${line({ messages: [user, { role: 'assistant', tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{}' } }] }] })}\n`, 1, 'line 1 message 2 (assistant), tool call 1 has no "id"'],
  ['tool_calls on a user message', `${line({ messages: [{ ...user, tool_calls: [call] }, assistant] })}\n`, 1, 'line 1 message 1 (user) has "tool_calls"; only assistant messages may'],
  ['a weight other than 0 or 1', `${line({ messages: [user, { ...assistant, weight: 0.5 }] })}\n`, 1, 'line 1 message 2 (assistant) has "weight" 0.5; expected 0 or 1'],
  ['a line that is not UTF-8', `${good}\n\u0000MARK\n`, 2, 'line 2 is not UTF-8 text'],
  ['an empty file', '', 1, 'line 1 is empty: the file has no examples'],
];

/** The file's bytes; the `\u0000MARK` placeholder becomes an invalid UTF-8 sequence. */
function bytesOf(text: string): Uint8Array {
  const bytes = Buffer.from(text, 'utf8');
  const at = bytes.indexOf('\u0000MARK');
  if (at >= 0) bytes.set([0xc3, 0x28, 0xff, 0xfe, 0x20], at);
  return bytes;
}

describe('train refuses every bad training file with its line number, and uploads nothing', () => {
  it.each(BAD)('%s → line %i', async (_name, text, lineNumber, problem) => {
    const blobs = diskBlobs({ dir: mkdtempSync(join(tmpdir(), 'jsonl-')) });
    await blobs.put('bad.jsonl', bytesOf(text));
    const { call } = harness({ blobs });
    // From the blob store always; as text too where the file is valid UTF-8 with content.
    const inputs = [{ file: 'bad.jsonl' }, ...(text.includes('\u0000MARK') || text === '' ? [] : [{ jsonl: text }])];
    for (const input of inputs) {
      const error = await call('train', input).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 400, code: 'INVALID_TRAINING_FILE' });
      expect((error as Error).message).toContain(problem);
      expect((error as { details: { problems: { line: number }[] } }).details.problems[0]!.line).toBe(lineNumber);
    }
    expect(fake.seen, 'nothing was sent to OpenAI').toEqual([]);
  });

  it('accepts valid files: CRLF endings, a BOM, a trailing newline, tool calls, image parts', () => {
    const image = line({ messages: [{ role: 'user', content: [{ type: 'text', text: '¿Qué es?' }, { type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }, assistant] });
    expect(checkTrainingJsonl(Buffer.from(`\ufeff${good}\r\n${withTools}\r\n${image}\n`, 'utf8'))).toBe(3);
    expect(checkTrainingJsonl(Buffer.from(good))).toBe(1);
  });

  it('lists every problem line (up to 20) and counts the rest', () => {
    const text = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? good : '{')).join('\n');
    const error = (() => {
      try {
        checkTrainingJsonl(Buffer.from(text));
      } catch (e) {
        return e as Error & { details: { problems: { line: number; problem: string }[] } };
      }
      throw new Error('not refused');
    })();
    expect(error.message).toBe('The training file is not valid chat fine-tuning JSONL: line 2 is not valid JSON (and 14 more lines with problems).');
    expect(error.details.problems.map((p) => p.line)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]);
  });

  it('takes time linear in the size of the file', () => {
    const time = (n: number) => {
      const bytes = Buffer.from(Array.from({ length: n }, () => withTools).join('\n'));
      const start = performance.now();
      checkTrainingJsonl(bytes);
      return performance.now() - start;
    };
    time(2_000);
    const small = Math.max(time(5_000), 1);
    const large = time(40_000);
    // 8 × the input: linear work stays well under 8 × 4; a quadratic pass would be ~64 ×.
    expect(large / small).toBeLessThan(32);
  });
});
