/** The roles a customer-service pack allows by default: the people of the team. */
export const DEFAULT_ROLES: readonly string[] = ['Agent', 'Supervisor'];

/**
 * The `allowedRoles` part of a pack's group options: `allowed` (or `fallback`) when `enforce` is not
 * false, nothing at all (anyone may call) when it is.
 */
export function groupRoles(enforce: boolean | undefined, allowed: readonly string[] | undefined, fallback: readonly string[] = DEFAULT_ROLES): { allowedRoles?: readonly string[] } {
  return enforce === false ? {} : { allowedRoles: allowed ?? fallback };
}
