// The chat page (examples/chat) in Chromium against the documents API: real RS256 Cognito tokens, PGlite,
// s3rver, and the local HTTP/2 InvokeAgent stand-in writing event-stream frames with a pause between chunks,
// so the page must render the answer as it streams in.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatPage } from '../../examples/chat/serve.js';
import { PDF, startDocs, type DocsWorld } from '../packs/documents/support.js';
import { launch, openPage, screenshot } from './browser.js';

let world: DocsWorld;
let browser: Browser;

beforeAll(async () => {
  world = await startDocs(() => [{ type: 'chunk', text: 'La factura ' }, { pauseMs: 600 }, { type: 'chunk', text: 'vence el 5 de enero.' }]);
  world.router.mount('/chat', chatPage());
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

describe('GET /chat in Chromium', () => {
  it('uploads a file with progress, streams the answer as it is written, and shows the session files and history', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${world.url}/chat`);
    await page.getByLabel('Token').fill((await world.bearer('ana')).slice('Bearer '.length));
    await page.getByLabel('Token').dispatchEvent('change');

    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'factura.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect.poll(() => page.locator('#upload-status').textContent()).toBe('Archivo subido correctamente. factura.pdf');
    expect(await page.getByLabel('Upload progress').getAttribute('value')).toBe('100');
    await expect.poll(() => page.getByRole('list', { name: 'Session files' }).getByRole('listitem').allTextContents()).toEqual([`factura.pdf (application/pdf, ${PDF.length} bytes)`]);

    await page.getByLabel('Prompt').fill('¿Cuándo vence la factura?');
    await page.getByRole('button', { name: 'Ask' }).click();
    const answer = page.getByRole('log', { name: 'Answer' });
    // The first chunk is on the page while the agent is still pausing before its second one.
    await page.waitForFunction(() => document.getElementById('answer')?.textContent === 'La factura ', undefined, { polling: 20, timeout: 10_000 });
    await expect.poll(() => answer.textContent()).toBe('La factura vence el 5 de enero.');
    await expect.poll(() => page.locator('#chat-status').textContent()).toBe('Done.');
    await expect.poll(() => page.getByRole('list', { name: 'Conversation history' }).getByRole('listitem').allTextContents()).toEqual(['¿Cuándo vence la factura?La factura vence el 5 de enero.']);
    await screenshot(page, 'chat-answered');

    // The agent was given the uploaded file (the session's), from S3.
    const files = (world.agentServer.requests[0]?.body.sessionState as { files: { name: string; source: { s3Location: { uri: string } } }[] }).files;
    expect(files.map((f) => f.name)).toEqual([expect.stringMatching(/_factura\.pdf$/)]);
    expect(files[0]?.source.s3Location.uri).toMatch(/^s3:\/\/[^/]+\/bedrock-files\/.+_factura\.pdf$/);
    expect(problems).toEqual([]);
  });

  it('shows the API\'s message when the token is missing, without uploading anything', async () => {
    const { page } = await openPage(browser);
    await page.goto(`${world.url}/chat`);
    const before = await world.keys();
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'nota.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect.poll(() => page.locator('#upload-status').textContent()).toMatch(/^Authentication required/);
    expect(await page.locator('#upload-status').getAttribute('class')).toBe('error');
    expect(await world.keys()).toEqual(before);
  });
});
