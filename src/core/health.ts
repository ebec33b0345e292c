// Health of what a service depends on: named probes, run concurrently with a timeout each, the report
// cached for a few seconds (and shared by concurrent callers) so a load balancer polling every second
// does not hammer upstreams. The reply names services and states only; failures go to the log.
import type { Logger } from './logger.js';

/** A probe's answer when the part it checks is not configured (no credentials, no URL). */
export const NOT_CONFIGURED = 'not configured';

/**
 * A cheap check of one dependency: resolve when it answers, reject (or throw) when it does not, or
 * resolve {@link NOT_CONFIGURED} when there is nothing to check. Honour `signal`: it aborts at the timeout.
 */
export type Probe = (signal: AbortSignal) => unknown;

/** Options of a registered probe. */
export interface ProbeOptions {
  /** A required dependency down makes `/health` unhealthy (503); an optional one degraded (200). Default true. */
  required?: boolean;
}

/** The state of one service in the report. */
export type ServiceState = 'healthy' | 'unhealthy' | typeof NOT_CONFIGURED;

/** What `GET /health` answers (and `router.health()` resolves). */
export interface HealthReport {
  status: 'healthy' | 'degraded' | 'unhealthy';
  version: string;
  timestamp: string;
  services: Record<string, ServiceState>;
}

/** Options of the health checks (`createRouter({ health })`). */
export interface HealthOptions {
  /** Probes by service name, required unless given as `{ probe, required: false }`. */
  probes?: Record<string, Probe | ({ probe: Probe } & ProbeOptions)>;
  /** Time each probe may take, in ms (default 2 000); slower is unhealthy. */
  timeoutMs?: number;
  /** How long a report is reused, in ms (default 5 000; 0 probes on every request). */
  cacheMs?: number;
}

interface Registered {
  probe: Probe;
  required: boolean;
}

const NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;

/** The probe registry and its cached report. */
export class HealthChecks {
  readonly #probes = new Map<string, Registered>();
  readonly #timeoutMs: number;
  readonly #cacheMs: number;
  #cached: { at: number; report: Promise<Omit<HealthReport, 'version'>> } | undefined;

  constructor(options: HealthOptions = {}) {
    const { timeoutMs = 2_000, cacheMs = 5_000 } = options;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new Error('createRouter: "health.timeoutMs" must be a positive integer');
    if (!Number.isInteger(cacheMs) || cacheMs < 0) throw new Error('createRouter: "health.cacheMs" must be an integer, 0 or more');
    this.#timeoutMs = timeoutMs;
    this.#cacheMs = cacheMs;
    for (const [name, entry] of Object.entries(options.probes ?? {})) {
      if (typeof entry === 'function') this.add(name, entry);
      else this.add(name, entry.probe, entry);
    }
  }

  /** Registers a probe; names are unique. */
  add(name: string, probe: Probe, options: ProbeOptions = {}): void {
    if (typeof name !== 'string' || !NAME.test(name)) throw new Error(`health probe: name ${JSON.stringify(name)} must be 1-64 letters, digits, ".", "_" or "-"`);
    if (typeof probe !== 'function') throw new Error(`health probe "${name}": the probe must be a function`);
    if (this.#probes.has(name)) throw new Error(`health probe "${name}" is already registered`);
    this.#probes.set(name, { probe, required: options.required ?? true });
    this.#cached = undefined;
  }

  /** The names registered, in order. */
  get names(): string[] {
    return [...this.#probes.keys()];
  }

  /**
   * Runs every probe (plus `extra`, e.g. the groups' own, which never override a name registered here),
   * or reuses a report younger than `cacheMs`.
   */
  check(logger: Logger, extra: ReadonlyMap<string, Registered> = new Map()): Promise<Omit<HealthReport, 'version'>> {
    const now = Date.now();
    if (this.#cached && now - this.#cached.at < this.#cacheMs) return this.#cached.report;
    const all = new Map(extra);
    for (const [name, entry] of this.#probes) all.set(name, entry);
    const report = this.#run(all, logger);
    this.#cached = { at: now, report };
    return report;
  }

  async #run(probes: ReadonlyMap<string, Registered>, logger: Logger): Promise<Omit<HealthReport, 'version'>> {
    const entries = [...probes];
    const states = await Promise.all(entries.map(([name, entry]) => this.#probe(name, entry.probe, logger)));
    const services: Record<string, ServiceState> = {};
    let status: HealthReport['status'] = 'healthy';
    entries.forEach(([name, entry], i) => {
      const state = states[i] as ServiceState;
      services[name] = state;
      if (state === 'unhealthy') status = entry.required ? 'unhealthy' : status === 'healthy' ? 'degraded' : status;
    });
    return { status, timestamp: new Date().toISOString(), services };
  }

  async #probe(name: string, probe: Probe, logger: Logger): Promise<ServiceState> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`no answer within ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
    });
    try {
      const answer = await Promise.race([Promise.resolve().then(() => probe(controller.signal)), timeout]);
      return answer === NOT_CONFIGURED ? NOT_CONFIGURED : 'healthy';
    } catch (error) {
      logger.warn('health probe failed', { service: name, error });
      return 'unhealthy';
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A group's probes, merged into the router's report (see `ActionGroup.probe`). */
export type GroupProbes = ReadonlyMap<string, Registered>;
