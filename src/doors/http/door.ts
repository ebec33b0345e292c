import type { Logger } from '../../core/logger.js';
import type { Registry } from '../../core/registry.js';
import { Derived } from '../derived.js';
import type { MaybePromise } from '../../util/maybe-async.js';
import { dispatch } from './dispatch.js';
import { requestExchange, toResponse, type HttpExchange, type HttpReply } from './exchange.js';
import type { HttpHost, Mount, MountOptions, PluggedRoute } from './host.js';
import { checkHttpOptions, type HttpDoorOptions } from './options.js';
import { RouteTable } from './routes.js';

/** What the HTTP door of one router is built from. */
export type HttpDoorSetup = Pick<HttpHost, 'registry' | 'options' | 'roleAttribute' | 'agentReplies' | 'bedrock' | 'agentCore' | 'health'>;

/**
 * The HTTP door of one router: every adapter (router.fetch, node, Express, API Gateway) answers through
 * {@link HttpDoor.dispatch}. Routes are compiled on first use and again after groups change.
 */
export class HttpDoor implements HttpHost {
  readonly registry: Registry;
  readonly options: Readonly<HttpDoorOptions>;
  readonly roleAttribute: string;
  readonly agentReplies: HttpDoorSetup['agentReplies'];
  readonly bedrock: HttpDoorSetup['bedrock'];
  readonly agentCore: HttpDoorSetup['agentCore'];
  readonly health: HttpDoorSetup['health'];
  readonly plugged = new Map<string, PluggedRoute>();
  readonly mounts: Mount[] = [];
  readonly #routes = new Derived<RouteTable>();
  readonly #documents = new Derived<Map<string, string>>();

  constructor(setup: HttpDoorSetup) {
    checkHttpOptions(setup.options);
    this.registry = setup.registry;
    this.options = setup.options;
    this.roleAttribute = setup.roleAttribute;
    this.agentReplies = setup.agentReplies;
    this.bedrock = setup.bedrock;
    this.agentCore = setup.agentCore;
    this.health = setup.health;
  }

  get logger(): Logger {
    return this.registry.logger;
  }

  routes(): RouteTable {
    const mounted = this.registry.mounted;
    return this.#routes.get(mounted, () => new RouteTable(mounted));
  }

  documents(): Map<string, string> {
    return this.#documents.get(this.registry.mounted, () => new Map());
  }

  /** Mounts a web handler in front of the routes (see `Router.mount`). */
  mount(prefix: string, handler: Mount['handler'], options: MountOptions = {}): void {
    if (typeof prefix !== 'string' || !/^(\/[^/?#%\s]+)*\/?$/.test(prefix) || prefix === '') throw new Error(`router.mount: the prefix must be a path such as "/blobs" or "/blobs/" (segments without "?", "#", "%" or spaces), not ${JSON.stringify(prefix)}`);
    if (typeof handler !== 'function') throw new Error('router.mount: the handler must be a function (request) => Response | undefined');
    const { maxBodyBytes } = options;
    if (maxBodyBytes !== undefined && !(Number.isInteger(maxBodyBytes) && maxBodyBytes > 0)) throw new Error(`router.mount: "maxBodyBytes" must be a positive integer (bytes), not ${JSON.stringify(maxBodyBytes)}`);
    const base = prefix.replace(/\/$/, '');
    if (this.mounts.some((m) => m.base === base)) throw new Error(`router.mount: something is already mounted at ${base || '/'}`);
    this.mounts.push({ prefix: base || '/', base, handler, ...(maxBodyBytes !== undefined ? { maxBodyBytes } : {}) });
  }

  /** Answers one request; never throws or rejects. Synchronous when nothing needs to wait. */
  dispatch(ex: HttpExchange): MaybePromise<HttpReply> {
    return dispatch(this, ex);
  }

  /** One web `Request` in, one `Response` out. */
  async fetch(request: Request): Promise<Response> {
    return toResponse(await dispatch(this, requestExchange(request)));
  }
}
