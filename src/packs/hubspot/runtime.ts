import type { Client } from '@hubspot/api-client';
import type { ActionContext } from '../../core/context.js';
import type { CursorCodec } from '../../kit/cursor.js';
import type { Allowed, FilterContext } from './filters.js';
import type { Owner } from './format.js';
import type { PipelineIndex } from './pipelines.js';

/** What every HubSpotOps operation shares: the client, caches and settings of one `hubspotOps(...)`. */
export interface HubSpotRuntime {
  cursors: CursorCodec;
  /** IANA zone dates are shown in. */
  zone: string;
  ticketUrlBase?: string | undefined;
  /** Ticket properties asked for (the reply's own plus any configured extras). */
  ticketProperties: readonly string[];
  /** Ticket properties holding customer text, PII-redacted in replies. */
  freeTextProperties: ReadonlySet<string>;
  /** What raw filters and sorts may name, per object type. */
  searchable: Readonly<Record<'tickets' | 'contacts', Allowed>>;
  /** Runs one HubSpot call under the operation's budget, with failures mapped (see `withHubSpot`). */
  call<T>(ctx: ActionContext, what: string, fn: (client: Client) => Promise<T>): Promise<T>;
  /** Ticket pipelines and their labels, cached. */
  pipelines(ctx: ActionContext): Promise<PipelineIndex>;
  /** Owners by id for ticket replies, cached; an owner HubSpot cannot give is null. */
  owners(ctx: ActionContext, ids: readonly string[]): Promise<Map<string, Owner | null>>;
  /** The owner id of an email (400 when none). */
  ownerIdByEmail(ctx: ActionContext, email: string): Promise<string>;
  /** Every active owner, cached (for name searches). */
  allOwners(ctx: ActionContext): Promise<readonly Owner[]>;
}

/** The filter parser's view of the runtime for one call. */
export function filterContext(rt: HubSpotRuntime, ctx: ActionContext, objectType: 'tickets' | 'contacts', reservedPerGroup = 0): FilterContext {
  return {
    objectType,
    allowed: rt.searchable[objectType],
    zone: rt.zone,
    pipelines: () => rt.pipelines(ctx),
    ownerIdByEmail: (email) => rt.ownerIdByEmail(ctx, email),
    reservedPerGroup,
  };
}
