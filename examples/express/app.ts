// An Express 5 app serving the OrderStatus group under /api, next to the app's own routes. Callers
// present an API key (Authorization: Bearer <API_KEY>) and act with the Agent role.
import { timingSafeEqual } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import express, { type Express } from 'express';
import { createRouter, type Caller } from 'bedrock-action-groups';
import { toExpress } from 'bedrock-action-groups/express';
import { orderStatusGroup } from '../order-status.ts';

/** `authenticate` for one shared API key, compared in constant time. */
export function apiKeyAuth(apiKey: string): (request: Request) => Caller | null {
  const expected = Buffer.from(`Bearer ${apiKey}`);
  return (request) => {
    const given = Buffer.from(request.headers.get('authorization') ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected) ? { role: 'Agent', userId: 'api-key' } : null;
  };
}

/** The app; without an API key the operations answer 401 (the health and schema routes stay open). */
export function createApp(apiKey: string | undefined = process.env.API_KEY): Express {
  const router = createRouter({ authenticate: apiKey ? apiKeyAuth(apiKey) : () => null }).add(orderStatusGroup());
  const app = express();
  app.disable('x-powered-by');
  app.get('/', (_req, res) => {
    res.json({ service: 'order-status', api: '/api', health: '/api/health', schema: '/api/openapi/OrderStatus.json' });
  });
  app.use('/api', toExpress(router));
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Nothing here; the API is under /api.' } });
  });
  return app;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 3000);
  createApp().listen(port, '127.0.0.1', () => console.log(`order-status on http://127.0.0.1:${port}/api`));
}
