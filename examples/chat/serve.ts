// Serves the chat page (examples/chat) at /chat: router.mount('/chat', chatPage()). The script is the
// browser build of chat.ts that `npm run build` writes to examples/chat/dist/chat.js.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const HERE = import.meta.dirname;
const FILES: Record<string, { file: string; type: string }> = {
  '/chat': { file: join(HERE, 'index.html'), type: 'text/html; charset=utf-8' },
  '/chat/': { file: join(HERE, 'index.html'), type: 'text/html; charset=utf-8' },
  '/chat/chat.css': { file: join(HERE, 'chat.css'), type: 'text/css; charset=utf-8' },
  '/chat/chat.js': { file: join(HERE, 'dist', 'chat.js'), type: 'text/javascript; charset=utf-8' },
};

// Only this origin's script and style; the page calls the API on the same origin.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The mount handler of the chat page; `apiBase` is where the documents API is mounted (default `/bocppocia-bedrock`). */
export function chatPage(options: { apiBase?: string } = {}): (request: Request) => Promise<Response | undefined> {
  const apiBase = options.apiBase ?? '/bocppocia-bedrock';
  return async (request) => {
    const entry = FILES[new URL(request.url).pathname];
    if (!entry) return undefined;
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } });
    let body: string;
    try {
      body = await readFile(entry.file, 'utf8');
    } catch {
      return new Response('The chat page is not built: run npm run build.', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    }
    if (entry.file.endsWith('index.html')) body = body.replace('<html lang="en">', `<html lang="en" data-api="${apiBase.replace(/[^\w/.-]/g, '')}">`);
    return new Response(request.method === 'HEAD' ? null : body, {
      headers: { 'content-type': entry.type, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' },
    });
  };
}
