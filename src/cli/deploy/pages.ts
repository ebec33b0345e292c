import { CliError } from '../load-groups.js';

/** One page of a paginated AWS list call. */
export interface Page<T> {
  items: readonly T[] | undefined;
  nextToken?: string | undefined;
}

/**
 * Every item of a paginated list, following `nextToken` until a page has none. A token seen twice
 * (a service that loops) ends in an error rather than an endless walk.
 */
export async function allPages<T>(action: string, fetchPage: (nextToken: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    items.push(...(page.items ?? []));
    token = page.nextToken || undefined;
    if (token !== undefined && seen.has(token)) throw new CliError(`${action} returned the page token "${token}" twice; stopped listing.`);
    if (token !== undefined) seen.add(token);
  } while (token !== undefined);
  return items;
}
