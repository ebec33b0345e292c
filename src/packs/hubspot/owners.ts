import type { Client } from '@hubspot/api-client';
import { z } from 'zod';
import type { ActionContext } from '../../core/context.js';
import { ActionError, isActionError } from '../../core/errors.js';
import type { ActionGroup } from '../../core/operation.js';
import { ttlMap, ttlValue } from './cache.js';
import { formatOwner, type Owner } from './format.js';
import { fold } from './pipelines.js';
import type { HubSpotRuntime } from './runtime.js';
import { OwnerPageSchema } from './schemas.js';

const FIND_MAX = 50;
/** Most owners read for a name search (HubSpot lists them 100 at a time). */
const MAX_OWNERS = 1000;

type Call = <T>(ctx: ActionContext, what: string, fn: (client: Client) => Promise<T>) => Promise<T>;

/**
 * Owner look-ups for the runtime: by id (for ticket replies, each id cached for `ttlMs`; an owner
 * HubSpot cannot give — deleted, or the token lacks the owners scope — shows as null rather than
 * failing the ticket), by email (for filters) and the whole active list (for name searches, cached).
 */
export function ownerLookups(call: Call, ttlMs: number, now?: () => number): Pick<HubSpotRuntime, 'owners' | 'ownerIdByEmail' | 'allOwners'> {
  const byId = ttlMap<Owner | null>({ ttlMs, ...(now ? { now } : {}) });
  const all = ttlValue<readonly Owner[]>({ ttlMs, ...(now ? { now } : {}) });
  return {
    async owners(ctx, ids) {
      const out = new Map<string, Owner | null>();
      await Promise.all(
        ids.map(async (id) => {
          const cached = byId.get(id);
          if (cached !== undefined) return void out.set(id, cached);
          try {
            const owner = formatOwner(await call(ctx, `owner ${id}`, (client) => client.crm.owners.ownersApi.getById(Number(id), 'id', false)));
            byId.set(id, owner);
            out.set(id, owner);
          } catch (error) {
            if (isActionError(error) && error.status === 404) byId.set(id, null);
            else ctx.logger.warn('owner lookup failed; the ticket is shown without the owner name', { ownerId: id, error });
            out.set(id, null);
          }
        }),
      );
      return out;
    },
    async ownerIdByEmail(ctx, email) {
      const page = await call(ctx, `the owner ${email}`, (client) => client.crm.owners.ownersApi.getPage(email, undefined, 1, false));
      const found = page.results[0];
      if (!found) throw new ActionError(400, `filters: no HubSpot owner has the email ${JSON.stringify(email)}; find owners with findOwners`, { code: 'UNKNOWN_OWNER' });
      return String(found.id);
    },
    allOwners(ctx) {
      return all.get(async () => {
        const out: Owner[] = [];
        let after: string | undefined;
        do {
          const page = await call(ctx, 'the owners', (client) => client.crm.owners.ownersApi.getPage(undefined, after, 100, false));
          out.push(...page.results.map(formatOwner));
          after = page.paging?.next?.after;
        } while (after && out.length < MAX_OWNERS);
        return out;
      });
    },
  };
}

/** True when every word of `q` is in the owner's name or email (case and accents ignored). */
function matchesOwner(owner: Owner, q: string): boolean {
  const hay = fold(`${owner.name ?? ''} ${owner.email ?? ''}`);
  return fold(q).split(/\s+/).filter(Boolean).every((word) => hay.includes(word));
}

/** Adds findOwners to `group`. */
export function addOwnerOperations(group: ActionGroup, rt: HubSpotRuntime, timeoutMs: number): ActionGroup {
  return group.operation({
    name: 'findOwners',
    method: 'GET',
    path: '/owners/find',
    description:
      'Find HubSpot owners (the agents tickets are assigned to) by id, or by name or email (q). Without either, lists the owners. Use to learn who owns a ticket or to get an owner id for a filter.',
    input: z.object({
      ownerId: z.string().regex(/^\s*\d{1,20}\s*$/, 'must be a numeric HubSpot owner id').optional().describe('HubSpot owner id (digits)'),
      q: z.string().max(200).optional().describe('Name or email of the owner, or part of it'),
      page_size: z.number().int().min(1).default(5).describe(`Most owners to return (default 5, at most ${FIND_MAX}; a larger number is reduced to ${FIND_MAX})`),
    }),
    output: OwnerPageSchema,
    timeoutMs,
    handler: async (input, ctx) => {
      const pageSize = Math.min(input.page_size, FIND_MAX);
      const q = input.q?.trim() ?? '';
      let matches: readonly Owner[];
      if (input.ownerId) {
        const id = input.ownerId.trim();
        matches = [formatOwner(await rt.call(ctx, `owner ${id}`, (client) => client.crm.owners.ownersApi.getById(Number(id), 'id', false)))];
      } else if (q.includes('@') && !/\s/.test(q)) {
        const page = await rt.call(ctx, `the owner ${q}`, (client) => client.crm.owners.ownersApi.getPage(q, undefined, 100, false));
        matches = page.results.map(formatOwner);
      } else {
        matches = (await rt.allOwners(ctx)).filter((o) => matchesOwner(o, q));
      }
      const owners = matches.slice(0, pageSize);
      return {
        owners,
        count: owners.length,
        page_size: pageSize,
        has_more: matches.length > owners.length,
        cursor_next: null,
        cursor_prev: null,
        remaining: matches.length - owners.length,
      };
    },
  });
}
