// The memory store's indexes: lists kept sorted by (createdAt, insertion order), so a page is a slice
// and an insert a binary search, instead of filtering and sorting every record on every read.

/** A record with the order it was added in. */
export interface Entry<T> {
  seq: number;
  createdAt: string;
  record: T;
}

/** Inserts in ascending (createdAt, seq) order; seq only grows, so equal times keep insertion order. */
export function insertSorted<T>(list: Entry<T>[], entry: Entry<T>): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as Entry<T>).createdAt <= entry.createdAt) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, entry);
}

/** Removes an entry (found by identity). */
export function removeSorted<T>(list: Entry<T>[] | undefined, entry: Entry<T>): void {
  if (!list) return;
  const at = list.indexOf(entry);
  if (at !== -1) list.splice(at, 1);
}

/** The page `offset`…`offset + limit` of an ascending list, read ascending or descending. */
export function slice<T>(list: readonly Entry<T>[], offset: number, limit: number, descending: boolean): Entry<T>[] {
  if (!descending) return list.slice(offset, offset + limit);
  const end = Math.max(0, list.length - offset);
  return list.slice(Math.max(0, end - limit), end).reverse();
}

/** Lists by key (owner, session, kind…), each kept sorted. */
export class Index<T> {
  readonly #lists = new Map<string, Entry<T>[]>();

  add(key: string, entry: Entry<T>): void {
    let list = this.#lists.get(key);
    if (!list) this.#lists.set(key, (list = []));
    insertSorted(list, entry);
  }

  remove(key: string, entry: Entry<T>): void {
    const list = this.#lists.get(key);
    removeSorted(list, entry);
    if (list && list.length === 0) this.#lists.delete(key);
  }

  get(key: string): readonly Entry<T>[] {
    return this.#lists.get(key) ?? [];
  }
}
