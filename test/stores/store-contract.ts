// One contract for every Store: run by stores.test.ts against memory, PGlite and (with DATABASE_URL) pg.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NewConversationRecord, NewFileRecord, Store } from 'bedrock-action-groups/stores';
import { isActionError } from 'bedrock-action-groups';

/** Makes a fresh, migrated, empty store for one test. */
export type StoreFactory = () => Promise<Store>;

const SHA = 'a'.repeat(64);
export const file = (over: Partial<NewFileRecord> = {}): NewFileRecord => ({
  ownerId: 'u1',
  sessionId: 's1',
  originalName: 'Factura marzo.pdf',
  fileName: 'factura-marzo.pdf',
  key: 'bedrock-files/u1/factura-marzo.pdf',
  fileType: 'application/pdf',
  fileSize: 1234,
  sha256: SHA,
  ...over,
});
export const turn = (over: Partial<NewConversationRecord> = {}): NewConversationRecord => ({ ownerId: 'u1', sessionId: 's1', prompt: '¿Cuál es el saldo?', response: 'El saldo es 0.', ...over });

/** The 400 an operation would answer, as `{ status, message }`. */
async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isActionError(error)) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HOSTILE = ["O'Brien \"quoted\"", "'; drop table bag_files; --", '\\x00 $1 %s ${x} `whoami`', 'ñandú 日本語 🎉'];
const TEN_KB = 'x'.repeat(10_240);

export function storeContract(name: string, make: StoreFactory): void {
  describe(`${name}: files`, () => {
    it('assigns fileId and createdAt, returns the stored record, reads it back, deletes it', async () => {
      const store = await make();
      const added = await store.addFile(file());
      expect(added).toEqual({ ...file(), fileId: expect.stringMatching(/^[0-9a-f-]{36}$/), createdAt: expect.stringMatching(ISO) });
      expect(await store.getFile(added.fileId)).toEqual(added);
      expect(await store.getFile('nope')).toBeNull();
      expect(await store.deleteFile(added.fileId)).toBe(true);
      expect(await store.deleteFile(added.fileId)).toBe(false);
      expect(await store.getFile(added.fileId)).toBeNull();
    });

    it('keeps a given fileId and createdAt (normalised to UTC), refuses a duplicate fileId with 409, and omits an absent sessionId', async () => {
      const store = await make();
      const added = await store.addFile(file({ fileId: 'f-1', createdAt: '2026-01-31T10:30:00+01:00', sessionId: undefined }));
      expect(added.fileId).toBe('f-1');
      expect(added.createdAt).toBe('2026-01-31T09:30:00.000Z');
      expect('sessionId' in added).toBe(false);
      expect(await refusal(store.addFile(file({ fileId: 'f-1' })))).toEqual({ status: 409, message: 'A file with fileId "f-1" already exists' });
      expect((await store.listFiles()).total).toBe(1);
    });

    it('lists newest first, last added first under equal times, filtered by owner and session, with totals', async () => {
      const store = await make();
      const at = (n: number) => `2026-01-0${n}T00:00:00.000Z`;
      await store.addFile(file({ fileId: 'a', createdAt: at(1) }));
      await store.addFile(file({ fileId: 'b', createdAt: at(2) }));
      await store.addFile(file({ fileId: 'c', createdAt: at(2) }));
      await store.addFile(file({ fileId: 'd', createdAt: at(3), sessionId: 's2' }));
      await store.addFile(file({ fileId: 'e', createdAt: at(4), ownerId: 'u2' }));
      const ids = (page: { records: { fileId: string }[] }) => page.records.map((r) => r.fileId);
      expect(ids(await store.listFiles())).toEqual(['e', 'd', 'c', 'b', 'a']);
      expect(await store.listFiles({ ownerId: 'u1', limit: 2 })).toMatchObject({ total: 4, records: [{ fileId: 'd' }, { fileId: 'c' }] });
      expect(ids(await store.listFiles({ ownerId: 'u1', limit: 2, offset: 2 }))).toEqual(['b', 'a']);
      expect(await store.listFiles({ ownerId: 'u1', sessionId: 's1' })).toMatchObject({ total: 3 });
      expect(await store.listFiles({ ownerId: 'u1', offset: 10 })).toEqual({ records: [], total: 4 });
      expect(await store.listFiles({ ownerId: 'nobody' })).toEqual({ records: [], total: 0 });
    });

    it('refuses malformed records with a 400 naming the field', async () => {
      const store = await make();
      expect(await refusal(store.addFile(file({ sha256: 'abc' })))).toEqual({ status: 400, message: '"sha256" must be 64 lower-case hex digits' });
      expect(await refusal(store.addFile(file({ fileSize: -1 })))).toEqual({ status: 400, message: '"fileSize" must be a whole number of bytes, 0 or more' });
      expect(await refusal(store.addFile(file({ ownerId: '' })))).toEqual({ status: 400, message: '"ownerId" must not be empty' });
      expect(await refusal(store.addFile(file({ createdAt: 'yesterday' })))).toEqual({ status: 400, message: '"createdAt" must be an ISO 8601 date-time such as 2026-01-31T09:30:00.000Z' });
      expect(await refusal(store.addFile({ ...file(), fileType: 7 } as unknown as NewFileRecord))).toEqual({ status: 400, message: '"fileType" must be a string' });
      expect((await store.listFiles()).total).toBe(0);
    });
  });

  describe(`${name}: conversations`, () => {
    it('assigns conversationId, createdAt and fileIds [], and lists oldest first within a session (first added first under equal times)', async () => {
      const store = await make();
      const first = await store.addConversation(turn());
      expect(first).toEqual({ ...turn(), conversationId: expect.stringMatching(/^[0-9a-f-]{36}$/), createdAt: expect.stringMatching(ISO), fileIds: [] });
      const same = '2030-01-01T00:00:00.000Z';
      await store.addConversation(turn({ conversationId: 'x', createdAt: same, prompt: 'two', fileIds: ['f1', 'f2'], agentId: 'AGENT1' }));
      await store.addConversation(turn({ conversationId: 'y', createdAt: same, prompt: 'three' }));
      await store.addConversation(turn({ conversationId: 'z', sessionId: 's2', prompt: 'other session' }));
      const page = await store.listConversations({ sessionId: 's1' });
      expect(page.total).toBe(3);
      expect(page.records.map((r) => r.prompt)).toEqual(['¿Cuál es el saldo?', 'two', 'three']);
      expect(page.records[1]).toEqual({ ...turn(), conversationId: 'x', createdAt: same, prompt: 'two', fileIds: ['f1', 'f2'], agentId: 'AGENT1' });
      expect(await refusal(store.addConversation(turn({ conversationId: 'x' })))).toMatchObject({ status: 409 });
    });

    it('pages with exact totals and caps limit at 100', async () => {
      const store = await make();
      for (let i = 0; i < 120; i++) await store.addConversation(turn({ prompt: `p${i}`, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() }));
      const last = await store.listConversations({ sessionId: 's1', limit: 10, offset: 115 });
      expect(last.total).toBe(120);
      expect(last.records.map((r) => r.prompt)).toEqual(['p115', 'p116', 'p117', 'p118', 'p119']);
      const capped = await store.listConversations({ sessionId: 's1', limit: 1000 });
      expect(capped.records).toHaveLength(100);
      expect(capped.records[99]?.prompt).toBe('p99');
      expect((await store.listConversations({ ownerId: 'u1' })).records).toHaveLength(20);
    });

    it('answers 400 (not a database error) for negative, fractional or NaN paging', async () => {
      const store = await make();
      for (const offset of [-1, Number.NaN, 1.5, Infinity]) {
        expect(await refusal(store.listConversations({ offset }))).toEqual({ status: 400, message: '"offset" must be a whole number, 0 or more' });
        expect(await refusal(store.listFiles({ offset }))).toMatchObject({ status: 400 });
      }
      for (const limit of [0, -5, Number.NaN, 2.5]) expect(await refusal(store.listConversations({ limit }))).toEqual({ status: 400, message: '"limit" must be a whole number, 1 or more' });
      expect(await refusal(store.list('bot', { offset: -1 }))).toMatchObject({ status: 400 });
    });
  });

  describe(`${name}: hostile input`, () => {
    it('stores quotes, SQL, placeholders and 10 kB strings in every text field unchanged', async () => {
      const store = await make();
      for (const s of [...HOSTILE, TEN_KB]) {
        const id = s.slice(0, 200);
        const f = await store.addFile(file({ fileId: `${id}#f`, ownerId: id, sessionId: id, originalName: s, fileName: s, key: s, fileType: s }));
        expect(await store.getFile(f.fileId)).toEqual(f);
        expect(f.originalName).toBe(s);
        const c = await store.addConversation(turn({ conversationId: `${id}#c`, ownerId: id, sessionId: id, prompt: s, response: s, agentId: s, fileIds: [id] }));
        expect((await store.listConversations({ ownerId: id, sessionId: id })).records).toEqual([c]);
        expect(c.prompt).toBe(s);
        const r = await store.put(id, id, { text: s, [s.slice(0, 50)]: [s] }, { ownerId: id });
        expect(await store.get(id, id)).toEqual(r);
        expect((r.value as { text: string }).text).toBe(s);
      }
      expect((await store.listFiles()).total).toBe(HOSTILE.length + 1);
    });

    it('refuses NUL bytes in every field with a 400 naming it, and identifiers over 256 bytes', async () => {
      const store = await make();
      const nul = 'a\u0000b';
      for (const field of ['ownerId', 'sessionId', 'originalName', 'fileName', 'key', 'fileType', 'fileId'] as const) {
        expect(await refusal(store.addFile(file({ [field]: nul })))).toEqual({ status: 400, message: `"${field}" must not contain NUL characters (U+0000)` });
      }
      for (const field of ['ownerId', 'sessionId', 'prompt', 'response', 'agentId', 'conversationId'] as const) {
        expect(await refusal(store.addConversation(turn({ [field]: nul })))).toEqual({ status: 400, message: `"${field}" must not contain NUL characters (U+0000)` });
      }
      expect(await refusal(store.addConversation(turn({ fileIds: ['ok', nul] })))).toEqual({ status: 400, message: '"fileIds[1]" must not contain NUL characters (U+0000)' });
      expect(await refusal(store.put('bot', 'k', { deep: [nul] }, { ownerId: 'u1' }))).toEqual({ status: 400, message: '"value" must not contain NUL characters (U+0000) in any string' });
      expect(await refusal(store.put('bot', 'k', { [nul]: 1 }, { ownerId: 'u1' }))).toMatchObject({ status: 400 });
      expect(await refusal(store.put(nul, 'k', 1, { ownerId: 'u1' }))).toEqual({ status: 400, message: '"kind" must not contain NUL characters (U+0000)' });
      expect(await refusal(store.getFile(nul))).toMatchObject({ status: 400 });
      expect(await refusal(store.listFiles({ ownerId: nul }))).toMatchObject({ status: 400 });
      expect(await refusal(store.addFile(file({ ownerId: TEN_KB })))).toEqual({ status: 400, message: '"ownerId" must be at most 256 bytes' });
      expect(await refusal(store.addConversation(turn({ prompt: 'a\uD800b' })))).toEqual({ status: 400, message: '"prompt" must be well-formed Unicode (no lone surrogates)' });
      expect((await store.listFiles()).total + (await store.listConversations()).total).toBe(0);
    });

    it('stores any well-formed string as given, or refuses it with a 400, the same way every time (property)', async () => {
      const store = await make();
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (s) => {
          const id = `c${n++}`;
          try {
            const c = await store.addConversation(turn({ conversationId: id, sessionId: id, prompt: s, response: s }));
            expect(c.prompt).toBe(s);
            expect((await store.listConversations({ sessionId: id })).records[0]?.response).toBe(s);
          } catch (error) {
            expect(isActionError(error) && error.status === 400).toBe(true);
            expect(s.includes('\u0000')).toBe(true);
          }
        }),
        { numRuns: 60 },
      );
    });
  });

  describe(`${name}: keyed records`, () => {
    it('puts, replaces (keeping createdAt), gets, lists newest first by owner, and deletes', async () => {
      const store = await make();
      const bot = await store.put('bot', 'b1', { name: 'Soporte', tools: ['getTicket'], z: 1, a: 2 }, { ownerId: 'u1' });
      expect(bot).toEqual({ kind: 'bot', key: 'b1', ownerId: 'u1', value: { name: 'Soporte', tools: ['getTicket'], z: 1, a: 2 }, createdAt: expect.stringMatching(ISO), updatedAt: bot.createdAt });
      expect(Object.keys((await store.get<Record<string, unknown>>('bot', 'b1'))?.value ?? {})).toEqual(['name', 'tools', 'z', 'a']);
      await new Promise((r) => setTimeout(r, 5));
      const replaced = await store.put('bot', 'b1', 'just a string', { ownerId: 'u1' });
      expect(replaced.createdAt).toBe(bot.createdAt);
      expect(replaced.updatedAt > bot.updatedAt).toBe(true);
      expect((await store.get('bot', 'b1'))?.value).toBe('just a string');
      await store.put('bot', 'b2', null, { ownerId: 'u1' });
      await store.put('bot', 'b3', [1, 2], { ownerId: 'u2' });
      await store.put('thread', 't1', {}, { ownerId: 'u1' });
      expect((await store.list('bot')).records.map((r) => r.key)).toEqual(['b3', 'b2', 'b1']);
      expect(await store.list('bot', { ownerId: 'u1', limit: 1 })).toMatchObject({ total: 2, records: [{ key: 'b2', value: null }] });
      expect(await store.get('bot', 'missing')).toBeNull();
      expect(await store.delete('bot', 'b1')).toBe(true);
      expect(await store.delete('bot', 'b1')).toBe(false);
      expect((await store.list('bot')).total).toBe(2);
    });

    it("refuses to overwrite another owner's key with a 409 and keeps the value", async () => {
      const store = await make();
      await store.put('thread', 't1', { v: 1 }, { ownerId: 'u1' });
      expect(await refusal(store.put('thread', 't1', { v: 2 }, { ownerId: 'u2' }))).toEqual({ status: 409, message: 'The thread "t1" belongs to another owner' });
      expect((await store.get('thread', 't1'))?.value).toEqual({ v: 1 });
      expect(await refusal(store.put('thread', 't2', undefined, { ownerId: 'u1' }))).toEqual({ status: 400, message: '"value" must be a JSON value (not undefined or a function)' });
      expect(await refusal(store.put('thread', 't2', 1, {} as { ownerId: string }))).toEqual({ status: 400, message: '"ownerId" must be a string' });
    });
  });

  describe(`${name}: probe`, () => {
    it('resolves while the backend answers', async () => {
      await expect((await make()).probe()).resolves.toBeUndefined();
    });
  });
}
