// The form of one operation, drawn from its fields' JSON Schemas. Every field sends what is typed, as is
// (no native `required` or type blocking), so the reply's own field problems are what the page shows.
import type { Field } from './catalog.js';
import { h, uid } from './dom.js';
import { jsonOrText } from './json.js';

type Json = { [key: string]: unknown };
type Scalar = string | number | boolean;

/** A drawn form: its element, the values typed (native JSON, empty fields left out), and field highlighting. */
export interface OperationForm {
  readonly element: HTMLElement;
  values(): Record<string, unknown>;
  /** Marks the fields named by a reply's problems (`items.0.qty` marks `items`) and clears the others. */
  highlight(problems: readonly { field: string; problem: string }[]): void;
}

interface Control {
  field: Field;
  input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  problem: HTMLElement;
  wrapper: HTMLElement;
  read(): unknown;
}

const isJson = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The schema's branches folded into one: `anyOf`/`oneOf` of one type (a nullable, a literal union) read as that type. */
function effective(schema: Json): Json {
  const branches = (schema.anyOf ?? schema.oneOf) as unknown;
  if (!Array.isArray(branches)) return schema;
  const typed = branches.filter(isJson).filter((b) => b.type !== 'null');
  const values = typed.flatMap((b) => (Array.isArray(b.enum) ? b.enum : b.const !== undefined ? [b.const] : []));
  if (typed.length > 0 && values.length === typed.length) return { ...schema, type: typed[0]?.type, enum: values };
  return typed.length === 1 ? { ...schema, ...typed[0] } : schema;
}

const allowed = (schema: Json): Scalar[] | undefined => (Array.isArray(schema.enum) ? (schema.enum as unknown[]).filter((v): v is Scalar => v !== null) : schema.const !== undefined ? [schema.const as Scalar] : undefined);

/** A typed text as the schema's type, or the text itself when it is not one (the reply then says what was expected). */
function asType(text: string, type: unknown): unknown {
  if ((type === 'number' || type === 'integer') && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

function describedBy(...ids: (string | undefined)[]): string {
  return ids.filter(Boolean).join(' ');
}

function control(field: Field): Control {
  const schema = effective(field.schema);
  const id = uid(`field-${field.name}`);
  const descId = typeof schema.description === 'string' ? uid(`desc-${field.name}`) : undefined;
  const problem = h('p', { class: 'problem', id: uid(`problem-${field.name}`), hidden: true });
  const common = { id, name: field.name, 'aria-describedby': describedBy(descId, problem.id), 'aria-required': field.required ? 'true' : undefined };
  const values = allowed(schema);
  const items = isJson(schema.items) ? effective(schema.items) : undefined;
  let input: Control['input'];
  let read: () => unknown;
  let hint: string | undefined;
  if (values) {
    const select = h('select', common, h('option', { value: '' }, field.required ? '— choose —' : '— not sent —'), ...values.map((v) => h('option', { value: String(v) }, String(v))));
    input = select;
    read = () => (select.value === '' ? undefined : values.find((v) => String(v) === select.value));
  } else if (schema.type === 'boolean') {
    const select = h('select', common, h('option', { value: '' }, '— not sent —'), h('option', { value: 'true' }, 'true'), h('option', { value: 'false' }, 'false'));
    input = select;
    read = () => (select.value === '' ? undefined : select.value === 'true');
  } else if (schema.type === 'array' && items && (allowed(items) || ['string', 'number', 'integer', 'boolean'].includes(String(items.type)))) {
    const area = h('textarea', { ...common, rows: '3' });
    input = area;
    hint = 'One item per line.';
    read = () => {
      const lines = area.value.split('\n').map((l) => l.trim()).filter((l) => l !== '');
      return lines.length === 0 ? undefined : lines.map((l) => asType(l, items.type));
    };
  } else if (schema.type === 'array' || schema.type === 'object' || schema.type === undefined) {
    const area = h('textarea', { ...common, rows: '4', spellcheck: 'false' });
    input = area;
    hint = schema.type === undefined ? 'Any JSON value.' : `JSON ${schema.type === 'array' ? 'array' : 'object'}.`;
    read = () => (area.value.trim() === '' ? undefined : jsonOrText(area.value));
  } else {
    const numeric = schema.type === 'number' || schema.type === 'integer';
    const text = h('input', { ...common, type: 'text', inputmode: numeric ? 'decimal' : undefined, autocomplete: 'off', placeholder: schema.default !== undefined ? String(schema.default) : undefined });
    input = text;
    read = () => (text.value === '' ? undefined : asType(text.value, schema.type));
  }
  if (schema.default !== undefined && !(input instanceof HTMLInputElement)) hint = [hint, `Default: ${JSON.stringify(schema.default)}.`].filter(Boolean).join(' ');
  const label = h('label', { for: id }, field.name, field.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null);
  const meta = h('span', { class: 'meta' }, `${String(schema.type ?? 'any')} · ${field.in}${field.required ? ' · required' : ''}`);
  const sentence = descId ? String(schema.description).replace(/([^.!?:])$/, '$1.') : undefined;
  const description = descId ? h('p', { class: 'description', id: descId }, [sentence, hint].filter(Boolean).join(' ')) : hint ? h('p', { class: 'description' }, hint) : null;
  const wrapper = h('div', { class: 'field' }, h('div', { class: 'label-row' }, label, meta), input, description, problem);
  return { field, input, problem, wrapper, read };
}

/** Draws the form of an operation's fields. */
export function operationForm(fields: readonly Field[]): OperationForm {
  const controls = fields.map(control);
  const element = h('div', { class: 'fields' }, ...(controls.length === 0 ? [h('p', { class: 'description' }, 'This operation takes no input.')] : controls.map((c) => c.wrapper)));
  return {
    element,
    values: () => {
      const out: Record<string, unknown> = {};
      for (const c of controls) {
        const value = c.read();
        if (value !== undefined) out[c.field.name] = value;
      }
      return out;
    },
    highlight: (problems) => {
      for (const c of controls) {
        const mine = problems.filter((p) => p.field === c.field.name || p.field.startsWith(`${c.field.name}.`));
        c.problem.hidden = mine.length === 0;
        c.problem.textContent = mine.map((p) => (p.field === c.field.name ? p.problem : `${p.field}: ${p.problem}`)).join('; ');
        if (mine.length > 0) c.input.setAttribute('aria-invalid', 'true');
        else c.input.removeAttribute('aria-invalid');
      }
    },
  };
}
