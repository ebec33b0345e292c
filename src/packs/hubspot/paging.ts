import { invalidCursor, type CursorCodec } from '../../kit/cursor.js';

/**
 * Offset paging with signed cursors. HubSpot's search only pages forward (`after`, a numeric offset),
 * so a cursor holds the offset of the page it leads to — `{ o }`, plus `l` when that page must stop
 * short of the one it was made from, and `t`, the requested total — and going back is just another
 * offset. The same cursor always gives the same page, whichever way it was reached.
 */

/** Largest offset HubSpot's search serves (it refuses to page past 10 000 results). */
export const SEARCH_WINDOW = 10_000;

/** What a list operation was asked for. */
export interface PageInput {
  page_size: number;
  cursor?: string | undefined;
  direction: 'next' | 'prev';
}

/** The page to fetch. */
export interface PagePlan {
  /** Offset of the page's first item; -1 while the page is "the last one" and the total is unknown. */
  offset: number;
  /** Items to fetch at most. */
  limit: number;
  /** The page size actually used (the requested one, clamped to the operation's maximum). */
  pageSize: number;
  /** The total the user asked for, when any. */
  requestedTotal?: number;
}

interface PageState {
  o: number;
  l?: number;
  t?: number;
}

const isCount = (v: unknown, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;

function readState(state: Record<string, unknown>): PageState {
  const { o, l, t } = state;
  // Signed by us, so this only fails across versions; still never trust a shape blindly.
  if (!isCount(o, SEARCH_WINDOW) || (l !== undefined && !isCount(l, SEARCH_WINDOW)) || (t !== undefined && !isCount(t, SEARCH_WINDOW))) {
    throw invalidCursor('comes from an incompatible version');
  }
  return { o: o as number, ...(l !== undefined ? { l: l as number } : {}), ...(t !== undefined ? { t: t as number } : {}) };
}

/**
 * Works out which page to fetch. A cursor decides the offset and the requested total (it carries its
 * own direction); without one, `next` starts at the first page and `prev` at the last (offset -1 until
 * the caller knows the total and calls {@link lastPage}). `page_size` above `maxPageSize` is clamped.
 */
export function planPage(input: PageInput, maxPageSize: number, scope: string, codec: CursorCodec, requestedTotal?: number | null): PagePlan {
  const pageSize = Math.min(input.page_size, maxPageSize);
  if (input.cursor) {
    const s = readState(codec.decode(input.cursor, scope));
    const cap = s.t === undefined ? pageSize : Math.min(pageSize, Math.max(s.t - s.o, 0));
    return { offset: s.o, limit: Math.min(cap, s.l ?? cap), pageSize, ...(s.t !== undefined ? { requestedTotal: s.t } : {}) };
  }
  const total = requestedTotal ?? undefined;
  const limit = total === undefined ? pageSize : Math.min(pageSize, total);
  return { offset: input.direction === 'prev' ? -1 : 0, limit, pageSize, ...(total !== undefined ? { requestedTotal: total } : {}) };
}

/** The end of what can be listed: the upstream total, cut at the requested total and the search window. */
export function windowEnd(plan: PagePlan, upstreamTotal: number, window = SEARCH_WINDOW): number {
  return Math.min(upstreamTotal, plan.requestedTotal ?? Number.POSITIVE_INFINITY, window);
}

/** Resolves a "last page" plan once the upstream total is known. */
export function lastPage(plan: PagePlan, upstreamTotal: number, window = SEARCH_WINDOW): PagePlan {
  const end = windowEnd(plan, upstreamTotal, window);
  const offset = Math.max(end - plan.pageSize, 0);
  return { ...plan, offset, limit: end - offset };
}

/** The paging part of every list reply. */
export interface PageReply {
  count: number;
  page_size: number;
  has_more: boolean;
  cursor_next: string | null;
  cursor_prev: string | null;
  remaining: number;
  requested_total?: number;
}

/** Cursors and counts for a page of `count` items fetched by `plan`, out of `upstreamTotal`. */
export function pageReply(plan: PagePlan, count: number, upstreamTotal: number, scope: string, codec: CursorCodec, window = SEARCH_WINDOW): PageReply {
  const end = windowEnd(plan, upstreamTotal, window);
  const reached = plan.offset + count;
  const t = plan.requestedTotal === undefined ? {} : { t: plan.requestedTotal };
  const hasMore = count > 0 && reached < end;
  let cursorPrev: string | null = null;
  if (plan.offset > 0) {
    const start = Math.max(plan.offset - plan.pageSize, 0);
    const l = plan.offset - start;
    cursorPrev = codec.encode({ o: start, ...(l < plan.pageSize ? { l } : {}), ...t }, scope);
  }
  return {
    count,
    page_size: plan.pageSize,
    has_more: hasMore,
    cursor_next: hasMore ? codec.encode({ o: reached, ...t }, scope) : null,
    cursor_prev: cursorPrev,
    remaining: Math.max(end - reached, 0),
    ...(plan.requestedTotal !== undefined ? { requested_total: plan.requestedTotal } : {}),
  };
}
