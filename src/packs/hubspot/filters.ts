import { DateTime } from 'luxon';
import { ActionError } from '../../core/errors.js';
import type { PipelineIndex } from './pipelines.js';

/** The search operators HubSpot accepts. */
export const OPERATORS = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'] as const;
export type Operator = (typeof OPERATORS)[number];

/** One HubSpot search filter, as sent. */
export interface SearchFilter {
  propertyName: string;
  operator: Operator;
  value?: string;
  values?: string[];
  highValue?: string;
}

/** Filters ANDed together; groups are ORed. */
export interface FilterGroup {
  filters: SearchFilter[];
}

/** HubSpot's search bounds. */
export const MAX_GROUPS = 5;
export const MAX_FILTERS_PER_GROUP = 6;
export const MAX_FILTERS = 18;

/** What raw filters and sorts of one object type may name: HubSpot properties and search operators. */
export interface SearchAllowList {
  /** Properties a raw filter or a sort may use. */
  properties: readonly string[];
  /** Operators a raw filter may use. */
  operators: readonly Operator[];
}

/**
 * The default allow-lists: the properties each reply shows (a filter on a property nobody can read would
 * let a caller probe its value), every operator.
 */
export const DEFAULT_SEARCH_ALLOW_LIST: Readonly<Record<'tickets' | 'contacts', SearchAllowList>> = {
  tickets: {
    properties: ['hs_object_id', 'subject', 'content', 'createdate', 'closed_date', 'source_type', 'hs_ticket_priority', 'hs_pipeline', 'hs_pipeline_stage', 'hubspot_owner_id', 'hs_lastmodifieddate'],
    operators: OPERATORS,
  },
  contacts: {
    properties: ['hs_object_id', 'firstname', 'lastname', 'email', 'phone', 'mobilephone', 'createdate', 'lastmodifieddate', 'hubspot_owner_id'],
    operators: OPERATORS,
  },
};

/** An allow-list as the parser checks it. */
export interface Allowed {
  properties: ReadonlySet<string>;
  operators: ReadonlySet<string>;
}

/** Sets of an allow-list, for fast checks. */
export function allowedSets(list: SearchAllowList): Allowed {
  for (const op of list.operators) {
    if (!(OPERATORS as readonly string[]).includes(op)) throw new Error(`hubspotOps: "searchAllowList" names an unknown operator ${JSON.stringify(op)}; HubSpot's are ${OPERATORS.join(', ')}`);
  }
  return { properties: new Set(list.properties), operators: new Set(list.operators) };
}

/** What the parser needs to turn friendly keys and labels into HubSpot filters. */
export interface FilterContext {
  /** What raw filters may name. */
  allowed: Allowed;
  /** `tickets` accepts every friendly key; `contacts` only owner, from, to and date_field. */
  objectType: 'tickets' | 'contacts';
  /** Zone in which `from`/`to` dates are read. */
  zone: string;
  /** Pipeline labels, loaded only when a filter needs them. */
  pipelines: () => Promise<PipelineIndex>;
  /** Owner id of an email address (a 400 when none). */
  ownerIdByEmail: (email: string) => Promise<string>;
  /** Filters the operation adds to every group itself (e.g. the contact of ticketsByContact). */
  reservedPerGroup?: number;
}

const FRIENDLY_TICKET_KEYS = ['pipeline', 'stage', 'owner', 'priority', 'source', 'from', 'to', 'date_field'] as const;
const FRIENDLY_CONTACT_KEYS = ['owner', 'from', 'to', 'date_field'] as const;
const DATE_FIELDS = { tickets: ['createdate', 'closed_date'], contacts: ['createdate', 'lastmodifieddate'] } as const;
const PRIORITY_WORDS: Record<string, string> = { baja: 'LOW', media: 'MEDIUM', alta: 'HIGH', urgente: 'URGENT' };
const PROPERTY_NAME = /^[A-Za-z0-9_.]{1,100}$/;

const EXPECTED =
  'a JSON list of filters [{"propertyName":"hs_ticket_priority","operator":"EQ","value":"HIGH"}], ' +
  'a list of filter groups [{"filters":[…]},{"filters":[…]}] (groups are ORed), ' +
  'or an object of friendly keys {"pipeline":"Soporte","stage":"Cerrado","owner":"ana@example.com","priority":"HIGH","source":"EMAIL","from":"2025-03-01","to":"2025-03-31","date_field":"closed_date"}';

function bad(message: string, code = 'INVALID_FILTERS'): ActionError {
  return new ActionError(400, `filters: ${message}`, { code });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function scalar(value: unknown, where: string): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw bad(`${where} must be a string or a number, got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}`);
}

const list = (value: unknown, where: string): string[] => (Array.isArray(value) ? value.map((v, i) => scalar(v, `${where}[${i}]`)) : [scalar(value, where)]);

/** One raw HubSpot filter, checked: property and operator allowed, the values it needs present. */
function rawFilter(item: Record<string, unknown>, where: string, ctx: FilterContext): SearchFilter {
  const { propertyName, operator } = item;
  if (typeof propertyName !== 'string' || !PROPERTY_NAME.test(propertyName)) throw bad(`${where}.propertyName must be a HubSpot property name such as "hs_ticket_priority"`);
  if (!ctx.allowed.properties.has(propertyName)) {
    throw bad(`${where}.propertyName ${JSON.stringify(propertyName)} cannot be searched; ${ctx.objectType} can be filtered on ${[...ctx.allowed.properties].join(', ')}`, 'FILTER_NOT_ALLOWED');
  }
  const op = typeof operator === 'string' ? operator.trim().toUpperCase() : '';
  if (!ctx.allowed.operators.has(op)) throw bad(`${where}.operator must be one of ${[...ctx.allowed.operators].join(', ')}, got ${JSON.stringify(operator ?? null)}`);
  const filter: SearchFilter = { propertyName, operator: op as Operator };
  if (op === 'HAS_PROPERTY' || op === 'NOT_HAS_PROPERTY') return filter;
  if (op === 'IN' || op === 'NOT_IN') {
    const values = item.values ?? item.value;
    if (values === undefined) throw bad(`${where} uses ${op}, which needs "values": a list`);
    filter.values = list(values, `${where}.values`);
    return filter;
  }
  if (item.value === undefined) throw bad(`${where} uses ${op}, which needs a "value"`);
  filter.value = scalar(item.value, `${where}.value`);
  if (op === 'BETWEEN') {
    if (item.highValue === undefined) throw bad(`${where} uses BETWEEN, which needs "value" and "highValue"`);
    filter.highValue = scalar(item.highValue, `${where}.highValue`);
  }
  return filter;
}

/** A `from`/`to` date as epoch milliseconds: a day is read in `zone` (start of day for from, end for to). */
function dateBound(value: unknown, bound: 'from' | 'to', zone: string): string {
  const raw = scalar(value, bound).trim();
  if (/^\d{12,}$/.test(raw)) return raw;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  const parsed = DateTime.fromISO(raw, { zone });
  if (!parsed.isValid) throw bad(`"${bound}" must be a date like 2025-03-01 or an ISO date-time, got ${JSON.stringify(raw)}`);
  return String((day ? (bound === 'from' ? parsed.startOf('day') : parsed.endOf('day')) : parsed).toMillis());
}

/** Turns one object of friendly keys into HubSpot filters (labels resolved to ids). */
async function friendlyFilters(item: Record<string, unknown>, where: string, ctx: FilterContext): Promise<SearchFilter[]> {
  const allowed: readonly string[] = ctx.objectType === 'tickets' ? FRIENDLY_TICKET_KEYS : FRIENDLY_CONTACT_KEYS;
  for (const key of Object.keys(item)) {
    if (!allowed.includes(key)) throw bad(`${where} has an unknown key "${key}"; friendly keys for ${ctx.objectType} are ${allowed.join(', ')}, or use {"propertyName","operator","value"}`);
  }
  const out: SearchFilter[] = [];
  const inOrEq = (propertyName: string, values: string[]): SearchFilter =>
    values.length === 1 ? { propertyName, operator: 'EQ', value: values[0] as string } : { propertyName, operator: 'IN', values };
  let pipelineIds: string[] | undefined;
  if (item.pipeline !== undefined) {
    const index = await ctx.pipelines();
    pipelineIds = [...new Set(list(item.pipeline, 'pipeline').flatMap((p) => index.pipelineIds(p)))];
    out.push(inOrEq('hs_pipeline', pipelineIds));
  }
  if (item.stage !== undefined) {
    const index = await ctx.pipelines();
    out.push(inOrEq('hs_pipeline_stage', [...new Set(list(item.stage, 'stage').flatMap((s) => index.stageIds(s, pipelineIds)))]));
  }
  if (item.owner !== undefined) {
    const owners = await Promise.all(list(item.owner, 'owner').map((o) => (o.includes('@') ? ctx.ownerIdByEmail(o.trim()) : ownerId(o))));
    out.push(inOrEq('hubspot_owner_id', owners));
  }
  if (item.priority !== undefined) {
    out.push(inOrEq('hs_ticket_priority', list(item.priority, 'priority').map((p) => PRIORITY_WORDS[p.trim().toLowerCase()] ?? p.trim().toUpperCase())));
  }
  if (item.source !== undefined) out.push(inOrEq('source_type', list(item.source, 'source').map((s) => s.trim().toUpperCase())));
  const fields: readonly string[] = DATE_FIELDS[ctx.objectType];
  const dateField = item.date_field === undefined ? 'createdate' : scalar(item.date_field, 'date_field');
  if (!fields.includes(dateField)) throw bad(`"date_field" must be one of ${fields.join(', ')}, got ${JSON.stringify(dateField)}`);
  if (item.from !== undefined) out.push({ propertyName: dateField, operator: 'GTE', value: dateBound(item.from, 'from', ctx.zone) });
  if (item.to !== undefined) out.push({ propertyName: dateField, operator: 'LTE', value: dateBound(item.to, 'to', ctx.zone) });
  if (out.length === 0) throw bad(`${where} has no filter in it`);
  return out;
}

function ownerId(value: string): string {
  const id = value.trim();
  if (/^\d+$/.test(id)) return id;
  throw bad(`"owner" must be an owner id or an email address, got ${JSON.stringify(value)}; find the id with findOwners`);
}

/** Pipeline and stage labels written in raw filters become ids too ("hs_pipeline_stage EQ Cerrado"). */
async function resolveLabels(filter: SearchFilter, ctx: FilterContext): Promise<SearchFilter> {
  const isPipeline = filter.propertyName === 'hs_pipeline';
  if (ctx.objectType !== 'tickets' || (!isPipeline && filter.propertyName !== 'hs_pipeline_stage')) return filter;
  if (!['EQ', 'NEQ', 'IN', 'NOT_IN'].includes(filter.operator)) return filter;
  const index = await ctx.pipelines();
  const ids = (v: string) => (isPipeline ? index.pipelineIds(v) : index.stageIds(v));
  const values = [...new Set((filter.values ?? [filter.value as string]).flatMap(ids))];
  const negated = filter.operator === 'NEQ' || filter.operator === 'NOT_IN';
  if (values.length === 1) return { propertyName: filter.propertyName, operator: negated ? 'NEQ' : 'EQ', value: values[0] as string };
  return { propertyName: filter.propertyName, operator: negated ? 'NOT_IN' : 'IN', values };
}

async function group(items: unknown[], where: string, ctx: FilterContext): Promise<FilterGroup> {
  const filters: SearchFilter[] = [];
  for (const [i, item] of items.entries()) {
    const at = `${where}[${i}]`;
    if (!isObject(item)) throw bad(`${at} must be an object; expected ${EXPECTED}`);
    if ('propertyName' in item || 'operator' in item) filters.push(await resolveLabels(rawFilter(item, at, ctx), ctx));
    else filters.push(...(await friendlyFilters(item, at, ctx)));
  }
  return { filters };
}

function checkBounds(groups: readonly FilterGroup[], reserved: number): void {
  if (groups.length > MAX_GROUPS) throw bad(`at most ${MAX_GROUPS} filter groups are allowed, got ${groups.length}`, 'TOO_MANY_FILTERS');
  const perGroup = MAX_FILTERS_PER_GROUP - reserved;
  const own = reserved ? ` (this operation uses ${reserved} of the ${MAX_FILTERS_PER_GROUP} itself)` : '';
  for (const [i, g] of groups.entries()) {
    if (g.filters.length > perGroup) throw bad(`at most ${perGroup} filters are allowed in a group${own}, group ${i + 1} has ${g.filters.length}`, 'TOO_MANY_FILTERS');
  }
  const total = groups.reduce((n, g) => n + g.filters.length + reserved, 0);
  if (total > MAX_FILTERS) throw bad(`at most ${MAX_FILTERS} filters are allowed in all groups together${reserved ? `, counting the ${reserved} this operation adds to each group` : ''}, got ${total}`, 'TOO_MANY_FILTERS');
}

/**
 * Parses the `filters` input (a JSON string) into HubSpot filter groups. Accepts a list of filters
 * (one group), a list of filter groups, HubSpot's own `{"filterGroups":[…]}`, or an object of friendly
 * keys (`pipeline`, `stage`, `owner`, `priority`, `source`, `from`, `to`, `date_field`), which may also
 * appear as items of a list. Pipeline and stage labels become ids. Bad JSON, unknown operators,
 * missing values and HubSpot's bounds (5 groups, 6 filters per group, 18 in all) are 400s naming what
 * was expected.
 */
export async function parseFilters(json: string | undefined, ctx: FilterContext): Promise<FilterGroup[]> {
  if (json === undefined || json.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw bad(`could not be read as JSON (${(error as Error).message}); expected ${EXPECTED}`);
  }
  if (isObject(value) && Array.isArray(value.filterGroups)) value = value.filterGroups;
  let groups: FilterGroup[];
  if (isObject(value)) groups = [await group([value], 'filters', ctx)];
  else if (Array.isArray(value)) {
    if (value.length === 0) return [];
    const allGroups = value.every((g) => isObject(g) && Array.isArray(g.filters));
    if (allGroups) {
      if (value.length > MAX_GROUPS) throw bad(`at most ${MAX_GROUPS} filter groups are allowed, got ${value.length}`, 'TOO_MANY_FILTERS');
      groups = [];
      for (const [i, g] of value.entries()) groups.push(await group((g as { filters: unknown[] }).filters, `group ${i + 1}`, ctx));
    } else {
      groups = [await group(value, 'filters', ctx)];
    }
  } else {
    throw bad(`expected ${EXPECTED}; got ${value === null ? 'null' : typeof value}`);
  }
  checkBounds(groups, ctx.reservedPerGroup ?? 0);
  return groups.filter((g) => g.filters.length > 0);
}

/** One HubSpot sort, as sent. */
export interface SearchSort {
  propertyName: string;
  direction: 'ASCENDING' | 'DESCENDING';
}

const SORT_ALIASES: Record<string, string> = {
  priority: 'hs_ticket_priority',
  pipeline: 'hs_pipeline',
  stage: 'hs_pipeline_stage',
  owner: 'hubspot_owner_id',
  source: 'source_type',
  created: 'createdate',
  created_at: 'createdate',
  modified: 'hs_lastmodifieddate',
};

/**
 * Parses `property:ASC|DESC` (direction optional, ascending by default; friendly names allowed). The
 * property must be in `allowed` (see {@link SearchAllowList}); any other is a 400 listing those that are.
 */
export function parseSort(text: string, objectType: 'tickets' | 'contacts', allowed: Allowed): SearchSort {
  const match = /^\s*([A-Za-z0-9_.]{1,100})\s*(?::\s*(asc|desc|ascending|descending)\s*)?$/i.exec(text);
  if (!match) throw new ActionError(400, `sort must look like "createdate:DESC" (a property, a colon, ASC or DESC), got ${JSON.stringify(text)}`, { code: 'INVALID_SORT' });
  const name = match[1] as string;
  const alias = objectType === 'tickets' ? SORT_ALIASES[name.toLowerCase()] : name.toLowerCase() === 'created_at' ? 'createdate' : undefined;
  const propertyName = alias ?? name;
  if (!allowed.properties.has(propertyName)) {
    throw new ActionError(400, `sort: ${JSON.stringify(propertyName)} cannot be sorted on; ${objectType} can be sorted on ${[...allowed.properties].join(', ')}`, { code: 'SORT_NOT_ALLOWED' });
  }
  return { propertyName, direction: match[2]?.toLowerCase().startsWith('desc') ? 'DESCENDING' : 'ASCENDING' };
}
