// The web client of the documents API (bedrock-action-groups/documents): sign-in token, upload with
// progress, a prompt whose answer streams in as server-sent events, the session's files and its history.
// Built for the browser by `npm run build` (scripts/build-chat.mjs) and served by the local server at /chat.

/** The contract's envelope: `{ statusCode, result, message, records, pagination? }`. */
interface Envelope<T> {
  statusCode: number;
  result: boolean;
  message: string;
  records?: T;
  error?: string;
}

interface FileRecord {
  fileId: string;
  originalName: string;
  fileSize: number;
  fileType: string;
}

interface Turn {
  prompt: string;
  response: string;
  createdAt: string;
}

const api = document.documentElement.dataset.api ?? '/bocppocia-bedrock';
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const token = $<HTMLInputElement>('token');
token.value = sessionStorage.getItem('chat-token') ?? '';
token.addEventListener('change', () => sessionStorage.setItem('chat-token', token.value.trim()));
// One conversation per page load: uploads and prompts share its id.
const sessionId = sessionStorage.getItem('chat-session') ?? crypto.randomUUID();
sessionStorage.setItem('chat-session', sessionId);

function headers(json = false): Record<string, string> {
  const h: Record<string, string> = { accept: 'application/json' };
  if (json) h['content-type'] = 'application/json';
  const t = token.value.trim();
  if (t) h.authorization = `Bearer ${t}`;
  return h;
}

function say(id: string, text: string, error = false): void {
  const el = $(id);
  el.textContent = text;
  el.classList.toggle('error', error);
}

async function getJson<T>(path: string): Promise<Envelope<T>> {
  const res = await fetch(`${api}${path}`, { headers: headers() });
  return (await res.json()) as Envelope<T>;
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** Posts the file as the contract's base64 JSON, with XMLHttpRequest: fetch cannot report upload progress. */
async function upload(): Promise<void> {
  const file = $<HTMLInputElement>('file').files?.[0];
  if (!file) return say('upload-status', 'Choose a file first.', true);
  const progress = $<HTMLProgressElement>('upload-progress');
  progress.value = 0;
  const body = JSON.stringify({ fileBase64: await readAsDataUrl(file), fileName: file.name, fileType: file.type || undefined, sessionId });
  const reply = await new Promise<Envelope<{ fileName: string }>>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${api}/upload`);
    for (const [k, v] of Object.entries(headers(true))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100);
    };
    xhr.onload = () => {
      try {
        resolve(JSON.parse(xhr.responseText) as Envelope<{ fileName: string }>);
      } catch {
        reject(new Error(`upload failed with HTTP ${xhr.status}`));
      }
    };
    xhr.onerror = () => reject(new Error('the upload could not reach the server'));
    xhr.send(body);
  });
  if (!reply.result) return say('upload-status', reply.message, true);
  progress.value = 100;
  say('upload-status', `${reply.message} ${file.name}`);
  await showFiles();
}

async function showFiles(): Promise<void> {
  const reply = await getJson<FileRecord[]>(`/files?sessionId=${encodeURIComponent(sessionId)}`);
  const list = $('files');
  list.replaceChildren(
    ...(reply.records ?? []).map((f) => {
      const li = document.createElement('li');
      li.textContent = `${f.originalName} (${f.fileType}, ${f.fileSize} bytes)`;
      return li;
    }),
  );
}

async function showHistory(): Promise<void> {
  const reply = await getJson<Turn[]>(`/history?sessionId=${encodeURIComponent(sessionId)}`);
  $('history').replaceChildren(
    ...(reply.records ?? []).map((turn) => {
      const li = document.createElement('li');
      const q = document.createElement('div');
      q.className = 'prompt';
      q.textContent = turn.prompt;
      const a = document.createElement('div');
      a.className = 'response';
      a.textContent = turn.response;
      li.append(q, a);
      return li;
    }),
  );
}

/** Splits a server-sent event stream into events as the bytes arrive. */
async function* events(body: ReadableStream<Uint8Array>): AsyncGenerator<{ event: string; data: unknown }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      yield { event, data: data.length ? JSON.parse(data.join('\n')) : null };
    }
  }
}

async function ask(): Promise<void> {
  const prompt = $<HTMLTextAreaElement>('prompt').value.trim();
  if (!prompt) return say('chat-status', 'Write a question first.', true);
  const answer = $('answer');
  answer.textContent = '';
  say('chat-status', 'Thinking…');
  const res = await fetch(`${api}/prompt/stream`, { method: 'POST', headers: { ...headers(true), accept: 'text/event-stream' }, body: JSON.stringify({ prompt, sessionId }) });
  if (!res.ok || !res.body || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    const reply = (await res.json().catch(() => ({ message: `HTTP ${res.status}` }))) as { message?: string };
    return say('chat-status', reply.message ?? `HTTP ${res.status}`, true);
  }
  for await (const { event, data } of events(res.body)) {
    if (event === 'chunk') answer.append((data as { text: string }).text);
    else if (event === 'error') return say('chat-status', (data as { message: string }).message, true);
    else if (event === 'done') say('chat-status', 'Done.');
  }
  await showHistory();
}

const guard = (run: () => Promise<void>, status: string) => () => void run().catch((error: unknown) => say(status, error instanceof Error ? error.message : String(error), true));
$('upload').addEventListener('click', guard(upload, 'upload-status'));
$('send').addEventListener('click', guard(ask, 'chat-status'));
if (token.value) void Promise.all([showFiles(), showHistory()]).catch(() => undefined);
