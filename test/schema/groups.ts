import { z } from 'zod';
import { actionGroup, type ActionGroup } from '../../src/index.js';

const Status = z.enum(['open', 'waiting', 'closed']);

const Ticket = z.object({
  id: z.string().describe('HubSpot ticket id'),
  subject: z.string().describe('Ticket subject'),
  status: Status.describe('Pipeline stage'),
  priority: z.enum(['LOW', 'MEDIUM', 'HIGH']).nullable().describe('Priority, null when unset'),
  createdAt: z.date().describe('When the ticket was opened'),
  notes: z.array(z.object({
    author: z.string().describe('Who wrote the note'),
    visibility: z.literal('internal').describe('Notes are always internal'),
  })).describe('Notes, newest first'),
});

/** A realistic group: GET with path and query parameters, POST body with arrays of objects, enums, defaults, confirmation, outputs. */
export function ticketsGroup(): ActionGroup {
  return actionGroup({ name: 'Tickets', description: 'Read and update support tickets in HubSpot.' })
    .operation({
      name: 'getTicket',
      method: 'GET',
      path: '/tickets/{ticketId}',
      description: 'Get one ticket by its id. Use when the customer names a ticket number.',
      input: z.object({
        ticketId: z.string().describe('HubSpot ticket id'),
        includeNotes: z.boolean().default(false).describe('Include the notes'),
        noteLimit: z.number().int().min(1).max(50).optional().describe('Most notes to include'),
      }),
      output: Ticket,
      handler: () => ({ id: '1', subject: 's', status: 'open' as const, priority: null, createdAt: new Date(0), notes: [] }),
    })
    .operation({
      name: 'listTickets',
      method: 'GET',
      path: '/tickets',
      summary: 'List tickets',
      description: 'List the tickets of a customer, newest first. Use to find a ticket when the customer gives no number.',
      input: z.object({
        email: z.string().email().describe('Customer email'),
        status: Status.optional().describe('Only tickets in this stage'),
        stages: z.array(Status).optional().describe('Only tickets in these stages'),
        limit: z.number().int().min(1).max(100).default(20).describe('Page size'),
      }),
      output: z.array(Ticket.pick({ id: true, subject: true, status: true })),
      handler: () => [],
    })
    .operation({
      name: 'addNote',
      method: 'POST',
      path: '/tickets/{ticketId}/notes',
      description: 'Add a note to a ticket. Use after talking to the customer.',
      input: z.object({
        ticketId: z.string().describe('HubSpot ticket id'),
        text: z.string().min(1).max(2000).describe('Note text'),
        visibility: z.enum(['internal', 'public']).default('internal').describe('Who can read the note'),
        attachments: z.array(z.object({
          name: z.string().describe('File name'),
          url: z.string().url().describe('Where the file is'),
          kind: z.enum(['image', 'pdf']).describe('File type'),
        })).optional().describe('Files to attach'),
        tags: z.array(z.string()).default([]).describe('Free tags'),
      }),
      output: z.object({ noteId: z.string().describe('New note id'), count: z.number().int().describe('Notes on the ticket') }),
      handler: () => ({ noteId: 'n1', count: 1 }),
    })
    .operation({
      name: 'closeTicket',
      method: 'DELETE',
      path: '/tickets/{ticketId}',
      description: 'Close a ticket for good. Use only when the customer confirms the problem is solved.',
      input: z.object({
        ticketId: z.string().describe('HubSpot ticket id'),
        reason: z.enum(['solved', 'duplicate', 'spam']).describe('Why the ticket is closed'),
      }),
      requireConfirmation: true,
      handler: () => ({ closed: true }),
    })
    .operation({
      name: 'setPriority',
      method: 'PATCH',
      path: '/tickets/{ticketId}',
      description: 'Change the priority of a ticket.',
      input: z.object({
        ticketId: z.string().describe('HubSpot ticket id'),
        priority: z.enum(['LOW', 'MEDIUM', 'HIGH']).describe('New priority'),
      }),
      requireConfirmation: true,
      handler: () => 'ok',
    });
}

/** Every key path (`a.b.c`) at which `key` occurs, at any depth. */
export function pathsOfKey(value: unknown, key: string, at = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => pathsOfKey(v, key, `${at}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [...(k === key ? [`${at}.${k}`] : []), ...pathsOfKey(v, key, `${at}.${k}`)]);
}

/** Every value stored under `key`, at any depth. */
export function valuesOfKey(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value.flatMap((v) => valuesOfKey(v, key));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [...(k === key ? [v] : []), ...valuesOfKey(v, key)]);
}
