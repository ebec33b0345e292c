import { z } from 'zod';
import { MAX_CURSOR_LENGTH } from '../../kit/cursor.js';

/** Input fields shared by the list operations, described for the model. */
export const fields = {
  pageSize: (max: number, noun: string) =>
    z.number().int().min(1).default(5).describe(`How many ${noun} per page (default 5, at most ${max}; a larger number is reduced to ${max})`),
  cursor: z
    .string()
    .max(MAX_CURSOR_LENGTH)
    .optional()
    .describe('cursor_next or cursor_prev from the previous reply of this same operation and query, to get that page; omit for the first page'),
  direction: z
    .enum(['next', 'prev'])
    .default('next')
    .describe('Only used without a cursor: next starts at the first page, prev at the last one (a cursor carries its own direction)'),
  filters: (keys: string) =>
    z
      .string()
      .max(4000)
      .optional()
      .describe(
        `JSON text: friendly keys ${keys}; or HubSpot filters [{"propertyName":"…","operator":"EQ","value":"…"}], operators EQ NEQ LT LTE GT GTE BETWEEN(value,highValue) IN NOT_IN(values) HAS_PROPERTY NOT_HAS_PROPERTY CONTAINS_TOKEN NOT_CONTAINS_TOKEN; or ORed groups [{"filters":[…]}]. Max 5 groups, 6 filters each, 18 in all`,
      ),
  sort: z.string().max(120).default('createdate:DESC').describe('Sort as property:ASC or property:DESC (default createdate:DESC), e.g. closed_date:DESC'),
};

const nullableText = z.string().nullable();

export const OwnerSchema = z.object({
  id: z.string().describe('HubSpot owner id'),
  name: nullableText.describe('First and last name'),
  email: nullableText,
  firstname: nullableText,
  lastname: nullableText,
  user_id: z.number().nullable().describe('HubSpot user id of the owner'),
});

export const TicketSchema = z.object({
  id: z.string().describe('HubSpot ticket id'),
  subject: nullableText,
  createdate: nullableText.describe('Creation time, ISO 8601 with the local offset'),
  closed_date: nullableText.describe('Closing time, ISO 8601 with the local offset; null while open'),
  source_type: nullableText.describe('EMAIL, PHONE, CHAT, FORM…'),
  priority: nullableText.describe('LOW, MEDIUM, HIGH or URGENT'),
  pipeline: nullableText.describe('Pipeline label'),
  stage: nullableText.describe('Stage label'),
  owner: z.object({ id: z.string(), name: nullableText, email: nullableText }).nullable().describe('Ticket owner'),
  url: nullableText.describe('Link to the ticket in HubSpot'),
  properties: z.record(z.string(), z.string().nullable()).describe('HubSpot properties as stored'),
});

export const ContactSchema = z.object({
  id: z.string().describe('HubSpot contact id'),
  firstname: nullableText,
  lastname: nullableText,
  name: nullableText.describe('First and last name'),
  email: nullableText,
  phone: nullableText,
  mobilephone: nullableText,
  created_at: nullableText.describe('Creation time, ISO 8601 with the local offset'),
});

const pageFields = {
  count: z.number().int().describe('Items in this page'),
  page_size: z.number().int().describe('Page size used'),
  has_more: z.boolean(),
  cursor_next: nullableText.describe('Pass as cursor for the next page; null at the end'),
  cursor_prev: nullableText.describe('Pass as cursor for the previous page; null at the start'),
  remaining: z.number().int().describe('Items left after this page (of the requested total when one was asked for)'),
  requested_total: z.number().int().optional().describe('The total the user asked for'),
};

export const TicketPageSchema = z.object({ tickets: z.array(TicketSchema), ...pageFields });
export const ContactTicketPageSchema = z.object({ contactId: z.string(), tickets: z.array(TicketSchema), ...pageFields });
export const ContactPageSchema = z.object({ contacts: z.array(ContactSchema), ...pageFields });
export const OwnerPageSchema = z.object({ owners: z.array(OwnerSchema), ...pageFields });
export const TicketContactsSchema = z.object({
  ticketId: z.string(),
  contacts: z.array(ContactSchema).optional().describe('Without primaryOnly'),
  primary_contact: ContactSchema.nullable().optional().describe('With primaryOnly; null when the ticket has no contact'),
  ...pageFields,
  count: pageFields.count.optional(),
});

/** A numeric HubSpot id; a leading "#" is accepted ("#12345"). */
export const recordId = (noun: string) =>
  z
    .string()
    .regex(/^\s*#?\d{1,20}\s*$/, `must be a numeric HubSpot ${noun} id such as 12345`)
    .describe(`HubSpot ${noun} id (digits, e.g. 12345)`);

/** The id without "#" or spaces. */
export const cleanId = (id: string) => id.trim().replace(/^#/, '');
