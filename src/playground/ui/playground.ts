// GET /playground: lists the router's operations, draws a form for the chosen one, sends it through the
// chosen door and shows the exact request beside the reply. Everything comes from this server.
import { loadCatalog, type Catalog, type Operation } from './catalog.js';
import { drawChart } from './chart.js';
import { copyable, h } from './dom.js';
import { operationForm, type OperationForm } from './form.js';
import { jsonOrText } from './json.js';
import { chartOf, readReply } from './reply.js';
import { buildRequest, curlOf, DOORS, type DoorId } from './requests.js';

interface Chosen {
  group: string;
  op: Operation;
  form: OperationForm;
}

/** The doors `op` can be sent through, each with why not when it cannot. */
function doorsFor(op: Operation, catalog: Catalog): { id: DoorId; label: string; off?: string }[] {
  return DOORS.map(({ id, label }) => {
    if (id === 'http') return { id, label, ...(op.doors.http ? {} : { off: 'not served over HTTP' }) };
    if (!op.doors.agent) return { id, label, off: 'not callable by agents' };
    if (id === 'mcp') return { id, label, ...(catalog.mcpPath ? {} : { off: 'needs mcp: true' }) };
    if (id !== 'agentcore' && !catalog.bedrockEndpoint) return { id, label, off: 'needs bedrockEndpoint: true' };
    return { id, label };
  });
}

function sessionAttributes(roleAttribute: string, role: string, text: string): Record<string, string> {
  let extra: unknown = {};
  if (text.trim() !== '') extra = JSON.parse(text);
  if (extra === null || typeof extra !== 'object' || Array.isArray(extra)) throw new Error('Session attributes must be a JSON object of strings, e.g. {"tenant": "acme"}.');
  const session = Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  if (role.trim() !== '') session[roleAttribute] = role.trim();
  return session;
}

function start(catalog: Catalog, app: HTMLElement): void {
  const token = h('input', { id: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false' });
  const header = h(
    'header',
    {},
    h('h1', {}, 'Playground'),
    h('nav', { 'aria-label': 'Documents' }, h('a', { href: 'docs' }, 'API reference'), ' · ', h('a', { href: 'openapi.json' }, 'openapi.json')),
    catalog.authenticate ? h('div', { class: 'token' }, h('label', { for: 'token' }, 'Token'), token, h('span', { class: 'meta' }, 'sent as Authorization: Bearer')) : null,
  );
  const list = h('nav', { 'aria-label': 'Operations', class: 'operations' });
  for (const group of catalog.groups) {
    list.append(
      h('h2', {}, group.name),
      h('ul', {}, ...group.operations.map((op) => {
        const button = h('button', { type: 'button', title: `${op.method} ${op.httpPath}`, 'data-group': group.name }, op.name);
        button.addEventListener('click', () => choose(group.name, op));
        return h('li', {}, button);
      })),
    );
  }
  const door = h('select', { id: 'door' });
  const role = h('input', { id: 'role', type: 'text', autocomplete: 'off' });
  const session = h('textarea', { id: 'session', rows: '2', spellcheck: 'false', placeholder: '{"tenant": "acme"}' });
  const send = h('button', { type: 'submit', class: 'send' }, 'Send');
  const title = h('h2', { id: 'operation-title' }, 'Choose an operation');
  const about = h('div', { class: 'about' });
  const fields = h('div', {});
  const form = h(
    'form',
    { novalidate: true, 'aria-labelledby': 'operation-title' },
    h('div', { class: 'field' }, h('label', { for: 'door' }, 'Door'), door),
    fields,
    h(
      'fieldset',
      { class: 'session' },
      h('legend', {}, 'Session (Bedrock events; AgentCore: client context)'),
      h('div', { class: 'field' }, h('label', { for: 'role' }, `Role (session attribute "${catalog.roleAttribute}")`), role),
      h('div', { class: 'field' }, h('label', { for: 'session' }, 'Session attributes (JSON)'), session),
    ),
    send,
  );
  const request = h('div', { class: 'content' }, h('p', { class: 'meta' }, 'Nothing sent yet.'));
  const reply = h('div', { class: 'content', 'aria-live': 'polite' }, h('p', { class: 'meta' }, 'No reply yet.'));
  const panes = h(
    'div',
    { class: 'panes' },
    h('section', { 'aria-labelledby': 'request-title', class: 'pane' }, h('h2', { id: 'request-title' }, 'Request'), request),
    h('section', { 'aria-labelledby': 'reply-title', class: 'pane' }, h('h2', { id: 'reply-title' }, 'Reply'), reply),
  );
  app.replaceChildren(header, h('div', { class: 'layout' }, list, h('main', {}, title, about, form, panes)));

  let chosen: Chosen | undefined;
  function choose(group: string, op: Operation): void {
    chosen = { group, op, form: operationForm(op.fields) };
    list.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b.textContent === op.name && b.dataset.group === group)));
    title.textContent = op.name;
    const roles = op.allowedRoles ? `Roles: ${op.allowedRoles.join(', ')}` : 'Any role';
    about.replaceChildren(h('p', {}, op.description), h('p', { class: 'meta' }, `${group} · ${op.method} ${op.httpPath} · ${roles}${op.requireConfirmation ? ' · asks for confirmation' : ''}`));
    fields.replaceChildren(chosen.form.element);
    const choices = doorsFor(op, catalog);
    const wanted = choices.find((c) => c.id === door.value && !c.off) ?? choices.find((c) => c.id === 'http' && !c.off) ?? choices.find((c) => !c.off);
    door.replaceChildren(...choices.map((c) => h('option', { value: c.id, disabled: c.off !== undefined, selected: c === wanted }, c.off ? `${c.label} (${c.off})` : c.label)));
    history.replaceState(null, '', `#${encodeURIComponent(group)}/${encodeURIComponent(op.name)}`);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!chosen) return;
    void sendChosen(chosen);
  });

  async function sendChosen({ group, op, form: opForm }: Chosen): Promise<void> {
    const via = door.value as DoorId;
    let outgoing;
    try {
      const tool = catalog.mcpTools[`${group}.${op.name}`];
      const mcp = catalog.mcpPath && tool ? { mcp: { path: catalog.mcpPath, tool } } : {};
      outgoing = buildRequest(via, op, opForm.values(), { groupName: group, session: sessionAttributes(catalog.roleAttribute, role.value, session.value), token: token.value, ...mcp });
    } catch (error) {
      reply.replaceChildren(h('p', { class: 'problem', role: 'alert' }, (error as Error).message));
      return;
    }
    request.replaceChildren(
      h('p', { class: 'status' }, `${outgoing.method} ${new URL(outgoing.url, location.href).pathname}${new URL(outgoing.url, location.href).search}`),
      outgoing.payload === null ? h('p', { class: 'meta' }, 'No body.') : copyable('JSON', JSON.stringify(outgoing.payload, null, 2)),
      copyable('curl', curlOf(outgoing, location.href)),
    );
    reply.replaceChildren(h('p', { class: 'meta' }, 'Sending…'));
    send.disabled = true;
    const started = performance.now();
    try {
      const response = await fetch(outgoing.url, { method: outgoing.method, headers: outgoing.headers, ...(outgoing.body !== undefined ? { body: outgoing.body } : {}) });
      const text = await response.text();
      const ms = Math.round(performance.now() - started);
      const json = text === '' ? null : jsonOrText(text);
      const read = readReply(via, response.status, json);
      opForm.highlight(read.problems);
      const chart = chartOf(read.body);
      // vega-embed labels the element it draws into; the figure keeps the page's own name for it.
      const chartBox = chart ? h('div', {}) : null;
      const shown: (HTMLElement | null)[] = [
        h('p', { class: `status ${response.ok && !read.problems.length ? 'ok' : 'bad'}`, 'data-testid': 'reply-status' }, `${read.facts.join(' · ')} · ${ms} ms`),
        ...(read.problems.length > 0 ? [h('ul', { class: 'problems' }, ...read.problems.map((p) => h('li', {}, `${p.field}: ${p.problem}`)))] : []),
        chartBox && h('figure', { class: 'chart', 'aria-label': 'Chart' }, chartBox),
        via === 'http' ? null : copyable('Body', typeof read.body === 'string' ? read.body : JSON.stringify(read.body, null, 2)),
        copyable(via === 'http' ? 'Body' : 'Reply', typeof json === 'string' ? json : JSON.stringify(json, null, 2)),
      ];
      reply.replaceChildren(...shown.filter((e): e is HTMLElement => e !== null));
      if (chart && chartBox) await drawChart(chartBox, chart).catch((error: unknown) => chartBox.replaceChildren(h('p', { class: 'problem' }, `The chart could not be drawn: ${(error as Error).message}`)));
    } catch (error) {
      reply.replaceChildren(h('p', { class: 'problem', role: 'alert' }, `The request failed: ${(error as Error).message}`));
    } finally {
      send.disabled = false;
    }
  }

  const [groupName, opName] = location.hash.slice(1).split('/').map((part) => decodeURIComponent(part));
  const fromHash = catalog.groups.find((g) => g.name === groupName)?.operations.find((o) => o.name === opName);
  const first = catalog.groups.find((g) => g.operations.length > 0);
  if (fromHash && groupName) choose(groupName, fromHash);
  else if (first) choose(first.name, first.operations[0] as Operation);
}

const app = document.getElementById('app') as HTMLElement;
loadCatalog().then(
  (catalog) => start(catalog, app),
  (error: unknown) => app.replaceChildren(h('p', { class: 'problem', role: 'alert' }, `The operations could not be loaded: ${(error as Error).message}`)),
);
