import type { Client } from '@hubspot/api-client';
import type { ActionContext } from '../../core/context.js';
import type { FilterGroup, SearchSort } from './filters.js';
import type { CrmRecord } from './format.js';
import { lastPage, type PagePlan } from './paging.js';
import type { HubSpotRuntime } from './runtime.js';

type SdkSearch = Parameters<Client['crm']['tickets']['searchApi']['doSearch']>[0];

/** One CRM search, before paging. */
export interface SearchQuery {
  objectType: 'tickets' | 'contacts';
  query?: string | undefined;
  filterGroups: FilterGroup[];
  sort: SearchSort;
  properties: readonly string[];
}

/**
 * Runs `POST /crm/v3/objects/{type}/search` for the page `plan` describes and returns its records, the
 * upstream total and the plan actually used. A "last page" plan first asks for one record to learn the
 * total, then fetches the last page.
 */
export async function searchPage(rt: HubSpotRuntime, ctx: ActionContext, search: SearchQuery, plan: PagePlan, what: string): Promise<{ records: CrmRecord[]; total: number; plan: PagePlan }> {
  const run = (offset: number, limit: number) =>
    rt.call(ctx, what, (client) =>
      client.crm[search.objectType].searchApi.doSearch({
        ...(search.query ? { query: search.query } : {}),
        // Same JSON as the SDK's models; its operator enum and its string-typed sorts differ only in
        // typing (HubSpot documents sort objects, and the SDK passes them through unchanged).
        filterGroups: search.filterGroups as unknown as SdkSearch['filterGroups'],
        sorts: [search.sort] as unknown as string[],
        properties: [...search.properties],
        limit,
        ...(offset > 0 ? { after: String(offset) } : {}),
      }),
    );
  let used = plan;
  if (plan.offset < 0) {
    const probe = await run(0, 1);
    used = lastPage(plan, probe.total);
    if (used.limit <= 0) return { records: [], total: probe.total, plan: used };
  }
  // HubSpot needs a limit of at least 1; a zero-item page still learns the total.
  const reply = await run(used.offset, Math.max(used.limit, 1));
  return { records: reply.results.slice(0, used.limit) as CrmRecord[], total: reply.total, plan: used };
}
