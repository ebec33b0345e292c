import type { Client } from '@hubspot/api-client';
import { isActionError } from '../../core/errors.js';
import { NOT_CONFIGURED, type Probe } from '../../core/health.js';

/**
 * The `/health` probe of HubSpot: one authenticated `GET /crm/v3/owners/?limit=1` (the cheapest call the
 * pack's own scopes allow). `not configured` without a token; rejects on any non-2xx, naming only the status.
 */
export function hubspotProbe(client: () => Client): Probe {
  return async () => {
    let c: Client;
    try {
      c = client();
    } catch (error) {
      if (isActionError(error) && error.code === 'NOT_CONFIGURED') return NOT_CONFIGURED;
      throw error;
    }
    const response = await c.apiRequest({ method: 'GET', path: '/crm/v3/owners/?limit=1' });
    if (!response.ok) throw new Error(`HubSpot answered HTTP ${response.status}`);
    return undefined;
  };
}
