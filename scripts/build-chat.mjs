// Builds the chat page's script (examples/chat/chat.ts) for the browser; part of `npm run build`.
import { build } from 'esbuild';

await build({
  entryPoints: ['examples/chat/chat.ts'],
  outfile: 'examples/chat/dist/chat.js',
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  logLevel: 'warning',
});
