import { DateTime } from 'luxon';
import { redactPii } from '../../text/pii.js';
import type { PipelineIndex } from './pipelines.js';

/** A CRM record as the SDK returns it (only what the pack reads). */
export interface CrmRecord {
  id: string;
  properties: Record<string, string | null | undefined>;
}

/** An owner as the owners API returns it (only what the pack reads). */
export interface OwnerRecord {
  id: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  userId?: number | null;
  archived?: boolean;
}

/** An owner in replies. */
export interface Owner {
  id: string;
  name: string | null;
  email: string | null;
  firstname: string | null;
  lastname: string | null;
  user_id: number | null;
}

/** A ticket in replies. */
export interface Ticket {
  id: string;
  subject: string | null;
  /** When it was created, ISO 8601 with the configured zone's offset. */
  createdate: string | null;
  closed_date: string | null;
  source_type: string | null;
  priority: string | null;
  /** Pipeline label (its id when the label is unknown). */
  pipeline: string | null;
  /** Stage label (its id when the label is unknown). */
  stage: string | null;
  /** The ticket owner; `name`/`email` null when HubSpot does not know the owner any more. */
  owner: Pick<Owner, 'id' | 'name' | 'email'> | null;
  /** Link to the ticket in HubSpot, when a ticket URL base is configured. */
  url: string | null;
  /** HubSpot's properties as it sent them (dates unconverted). */
  properties: Record<string, string | null>;
}

/** A contact in replies. */
export interface Contact {
  id: string;
  firstname: string | null;
  lastname: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  mobilephone: string | null;
  created_at: string | null;
}

/** Ticket properties every reply needs; `ticketProperties` adds more. */
export const TICKET_PROPERTIES = [
  'subject', 'content', 'createdate', 'closed_date', 'source_type', 'hs_ticket_priority', 'hs_pipeline',
  'hs_pipeline_stage', 'hubspot_owner_id', 'hs_lastmodifieddate',
] as const;

/** Contact properties the contact reply is made of. */
export const CONTACT_PROPERTIES = ['firstname', 'lastname', 'email', 'phone', 'mobilephone', 'createdate'] as const;

const text = (value: string | null | undefined): string | null => (value === undefined || value === null || value === '' ? null : value);

/**
 * A HubSpot date (ISO string or epoch milliseconds) as ISO 8601 in `zone`, with its offset
 * ("2025-03-01T09:30:00-06:00"); null when empty, the value itself when it is not a date.
 */
export function renderDate(value: string | null | undefined, zone: string): string | null {
  const raw = text(value);
  if (raw === null) return null;
  const parsed = /^\d{10,}$/.test(raw) ? DateTime.fromMillis(Number(raw), { zone: 'utc' }) : DateTime.fromISO(raw, { zone: 'utc' });
  return parsed.isValid ? parsed.setZone(zone).toISO({ suppressMilliseconds: true }) : raw;
}

/** Link to ticket `id`: `{id}` in the base is replaced, else the id is appended after a slash. */
export function ticketUrl(base: string | undefined, id: string): string | null {
  if (!base) return null;
  return base.includes('{id}') ? base.replaceAll('{id}', encodeURIComponent(id)) : `${base.replace(/\/+$/, '')}/${encodeURIComponent(id)}`;
}

/** "First Last", or whichever part exists, or null. */
export function fullName(first: string | null | undefined, last: string | null | undefined): string | null {
  return [text(first), text(last)].filter(Boolean).join(' ') || null;
}

export function formatOwner(owner: OwnerRecord): Owner {
  return {
    id: String(owner.id),
    name: fullName(owner.firstName, owner.lastName),
    email: text(owner.email),
    firstname: text(owner.firstName),
    lastname: text(owner.lastName),
    user_id: owner.userId ?? null,
  };
}

/** What a ticket reply needs besides the record. */
export interface TicketFormat {
  zone: string;
  pipelines: PipelineIndex;
  owners: ReadonlyMap<string, Owner | null>;
  urlBase?: string | undefined;
  /** Properties holding customer text: their values are PII-redacted (cards, DNIs) wherever they appear. */
  freeText: ReadonlySet<string>;
}

/** Ticket properties that hold what customers wrote, redacted by default. */
export const FREE_TEXT_TICKET_PROPERTIES = ['subject', 'content'] as const;

/**
 * A ticket record as a reply. Customer text (`f.freeText`: `subject`, `content`, …) is PII-redacted with
 * `redactPii`, in `subject` and in `properties` alike, so no property shows a card another reply masks.
 */
export function formatTicket(record: CrmRecord, f: TicketFormat): Ticket {
  const p: CrmRecord['properties'] = Object.create(null) as CrmRecord['properties'];
  for (const [key, value] of Object.entries(record.properties)) p[key] = typeof value === 'string' && f.freeText.has(key) ? redactPii(value) : value;
  const ownerId = text(p.hubspot_owner_id);
  const owner = ownerId ? f.owners.get(ownerId) : undefined;
  const properties: Record<string, string | null> = {};
  for (const key of Object.keys(p).sort()) properties[key] = p[key] ?? null;
  return {
    id: String(record.id),
    subject: text(p.subject),
    createdate: renderDate(p.createdate, f.zone),
    closed_date: renderDate(p.closed_date, f.zone),
    source_type: text(p.source_type),
    priority: text(p.hs_ticket_priority),
    pipeline: f.pipelines.pipelineLabel(p.hs_pipeline) ?? text(p.hs_pipeline),
    stage: f.pipelines.stageLabel(p.hs_pipeline_stage) ?? text(p.hs_pipeline_stage),
    owner: ownerId ? { id: ownerId, name: owner?.name ?? null, email: owner?.email ?? null } : null,
    url: ticketUrl(f.urlBase, String(record.id)),
    properties,
  };
}

export function formatContact(record: CrmRecord, zone: string): Contact {
  const p = record.properties;
  return {
    id: String(record.id),
    firstname: text(p.firstname),
    lastname: text(p.lastname),
    name: fullName(p.firstname, p.lastname),
    email: text(p.email),
    phone: text(p.phone),
    mobilephone: text(p.mobilephone),
    created_at: renderDate(p.createdate, zone),
  };
}
