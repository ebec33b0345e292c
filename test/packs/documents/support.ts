// The documents API as a user meets it: a node server on a real socket, Cognito RS256 tokens verified by
// aws-jwt-verify with handed-in keys, PGlite for the store, s3rver for the blobs, and InvokeAgent answered
// by a local HTTP/2 server writing real event-stream frames.
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { PGlite } from '@electric-sql/pglite';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { z } from 'zod';
import { actionGroup, createRouter, type Router } from 'bedrock-action-groups';
import { cognitoJwt } from 'bedrock-action-groups/auth';
import { bedrockAgent, documentsApi, type DocumentsApiOptions } from 'bedrock-action-groups/documents';
import { createServer, type ActionServer } from 'bedrock-action-groups/node';
import { postgresStore, s3Blobs, type PostgresStore } from 'bedrock-action-groups/stores';
import { close, listen } from '../../adapters/sockets.ts';
import { startInvokeAgentServer, type InvokeAgentScript, type InvokeAgentServer } from '../../support/invoke-agent-server.ts';
import { memoryLogger } from '../../support/logger.ts';
import { BUCKET, startS3, type LocalS3 } from '../kb-ingest/support.ts';

export const POOL = 'eu-west-1_DocsPool1';
export const CLIENT = 'docs-web-client';
export const PREFIX = '/bocppocia-bedrock';
export const AGENT = { agentId: 'AGENT12345', agentAliasId: 'ALIAS12345' };
export { BUCKET };

/** A group the agent's return of control calls: it answers who is asking. */
export const profileGroup = () =>
  actionGroup({ name: 'Profile', description: 'The asking user' }).operation({
    name: 'whoIsAsking',
    method: 'GET',
    path: '/profile',
    description: 'The user asking the agent',
    input: z.object({}),
    handler: (_input, ctx) => ({ userId: ctx.caller.userId ?? null, role: ctx.caller.role ?? null }),
  });

export interface DocsWorld {
  url: string;
  s3: LocalS3;
  db: PGlite;
  store: PostgresStore;
  agentServer: InvokeAgentServer;
  router: Router;
  logs: ReturnType<typeof memoryLogger>;
  /** A bearer header for a user (`groups` as in Cognito). */
  bearer(sub: string, groups?: string[]): Promise<string>;
  /** A JSON request to the documents API; resolves status, headers and parsed body. */
  call(method: string, path: string, options?: { token?: string; body?: unknown }): Promise<{ status: number; headers: Headers; body: Record<string, any> }>;
  /** Object keys in the bucket. */
  keys(): Promise<string[]>;
  /** Rows of the store's tables. */
  counts(): Promise<{ files: number; conversations: number; records: number }>;
  close(): Promise<void>;
}

/** Starts everything; `script` answers InvokeAgent. */
export async function startDocs(script: InvokeAgentScript, options: Partial<DocumentsApiOptions> = {}): Promise<DocsWorld> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'docs-key', alg: 'RS256', use: 'sig' };
  const s3 = await startS3();
  const db = new PGlite();
  const store = postgresStore({ client: db });
  await store.migrate();
  const agentServer = await startInvokeAgentServer(script);
  const logs = memoryLogger();
  const router = createRouter({ logger: logs.logger, authenticate: cognitoJwt({ userPoolId: POOL, clientId: CLIENT, jwks: { keys: [jwk as Record<string, unknown>] } }) });
  const client = new BedrockAgentRuntimeClient({ region: 'us-east-1', endpoint: agentServer.endpoint, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  const agent = bedrockAgent({ ...AGENT, client, router, allowed: [{ agentId: 'OTHERAGENT', agentAliasId: 'OTHERALIAS' }], maxReturnControlRounds: 2 });
  router.add(profileGroup()).add(documentsApi({ store, blobs: s3Blobs({ bucket: BUCKET, client: s3.client() }), agent, ...options }), { prefix: PREFIX });
  const server: ActionServer = createServer(router);
  const url = await listen(server);
  const bearer = async (sub: string, groups: string[] = ['Agent']) =>
    `Bearer ${await new SignJWT({ sub, email: `${sub}@example.com`, 'cognito:groups': groups, token_use: 'id' })
      .setProtectedHeader({ alg: 'RS256', kid: 'docs-key' })
      .setIssuer(`https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`)
      .setAudience(CLIENT)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey)}`;
  return {
    url,
    s3,
    db,
    store,
    agentServer,
    router,
    logs,
    bearer,
    async call(method, path, { token, body } = {}) {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = token;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const reply = await fetch(`${url}${PREFIX}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      const text = await reply.text();
      return { status: reply.status, headers: reply.headers, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
    },
    keys: () => s3.keys(),
    async counts() {
      const count = async (table: string) => Number(((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0] as { n: number }).n);
      return { files: await count('bag_files'), conversations: await count('bag_conversations'), records: await count('bag_records') };
    },
    async close() {
      client.destroy();
      await close(server);
      await agentServer.close();
      await s3.close();
      await db.close();
    },
  };
}

/** A small real PNG (1×1, transparent). */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
/** A minimal PDF. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
