/**
 * Paging a list by anchors: a page is found from the id of the item just outside it, so a message that
 * arrives while the agent reads does not shift the pages already read, and forward then back returns
 * the same pages.
 */

/** Where a page is: the start or the end of the list, or next to an item. */
export type ListPosition = 'first' | 'last' | { after: string } | { before: string };

/** One page, with the anchors of its neighbours (`null` at either end). */
export interface ListPage<T> {
  items: T[];
  /** Anchor of the next page: the last item's id, when items follow. */
  nextAfter: string | null;
  /** Anchor of the previous page: the first item's id, when items precede. */
  prevBefore: string | null;
}

/** The page of at most `size` items at `position`; `undefined` when the anchor is no longer in the list. */
export function listPage<T extends { id: string }>(list: readonly T[], size: number, position: ListPosition): ListPage<T> | undefined {
  let from: number;
  let to: number;
  if (position === 'first') [from, to] = [0, Math.min(size, list.length)];
  else if (position === 'last') [from, to] = [Math.max(0, list.length - size), list.length];
  else {
    const after = 'after' in position;
    const i = list.findIndex((item) => item.id === (after ? position.after : position.before));
    if (i < 0) return undefined;
    [from, to] = after ? [i + 1, Math.min(i + 1 + size, list.length)] : [Math.max(0, i - size), i];
  }
  const items = list.slice(from, to);
  return {
    items,
    nextAfter: items.length > 0 && to < list.length ? (items[items.length - 1] as T).id : null,
    prevBefore: items.length > 0 && from > 0 ? (items[0] as T).id : null,
  };
}
