import type { IncomingMessage, ServerResponse } from 'node:http';
import { lazy } from '../lazy';
import type { Logger } from '../log';
import { type ClientKey, matchClientKey, presentedKey } from './client-auth';
import type { FormatId } from './formats/ir';
import { hostAllowed, originAllowed } from './guard';
import { apiError, formatForPath } from './http-errors';
import type { ManagementDeps } from './management';
import { readDeclaredBody } from './request-body';
import { sendFormatError } from './respond';
import { type ClientRequest, inboundHandler, type RouteDeps } from './routes/inbound';

export interface AppDeps extends RouteDeps, ManagementDeps {
  logger: Logger;
  version: string;
  ownOrigins(): string[];
  /** Where the built dashboard is; found next to the running code when absent. */
  uiDir?: () => string | undefined;
}

/**
 * Host (DNS rebinding) and Origin (browser pages) checks, and CORS for the origins allowed. False
 * when it has answered (a refusal or a CORS preflight).
 */
export function guardPasses(req: IncomingMessage, res: ServerResponse, path: string, deps: AppDeps): boolean {
  const { config } = deps.state();
  if (!hostAllowed(req.headers.host, config.host, config.allowed_hosts)) {
    sendFormatError(
      res,
      formatForPath(path),
      apiError(
        403,
        `Host ${req.headers.host} is not allowed: add it to allowed_hosts if you really use that name.`,
      ),
    );
    return false;
  }
  const origin = req.headers.origin;
  // Tools and SDKs send no Origin: only browser requests pay for listing the engine's own origins.
  if (origin !== undefined && !originAllowed(origin, config.allowed_origins, deps.ownOrigins())) {
    sendFormatError(
      res,
      formatForPath(path),
      apiError(
        403,
        `Origin ${origin} is not allowed: list it in allowed_origins to let that page call the proxy.`,
      ),
    );
    return false;
  }
  if (origin) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'Origin');
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
      res.setHeader(
        'access-control-allow-headers',
        req.headers['access-control-request-headers'] ?? 'authorization, content-type, x-api-key',
      );
      res.setHeader('access-control-max-age', '600');
      res.statusCode = 204;
      res.end();
      return false;
    }
  }
  return true;
}

/**
 * The api_keys check and the key's request-rate limit: the key the request presents (undefined when
 * api_keys is empty), or false when it was refused and the answer is sent.
 */
export function authorize(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  search: string,
  deps: AppDeps,
): ClientKey | undefined | false {
  const { clientKeys } = deps.state();
  if (clientKeys.length === 0) return undefined;
  const key = matchClientKey(presentedKey(req.headers, new URLSearchParams(search)), clientKeys);
  if (!key) {
    sendFormatError(
      res,
      formatForPath(path),
      apiError(
        401,
        'Missing or invalid API key: send one of the keys listed in api_keys of the proxy config.',
        {
          code: 'invalid_api_key',
        },
      ),
    );
    return false;
  }
  const verdict = deps.limits.admit(key);
  if (!verdict.ok) {
    sendFormatError(
      res,
      formatForPath(path),
      apiError(429, `API key ${key.name} is over its ${verdict.limit} limit.`, {
        code: 'rate_limit_exceeded',
        retryAfter: verdict.retryAfterSeconds,
      }),
    );
    return false;
  }
  return key;
}

export function internalError(deps: AppDeps, res: ServerResponse, path: string, error: unknown): void {
  const message = (error as { message?: string }).message ?? String(error);
  deps.logger.error('unhandled error in request', { path, error: message });
  sendFormatError(
    res,
    formatForPath(path),
    apiError(500, 'Internal error in the proxy; see its log for details.'),
  );
}

/** The inbound APIs every tool calls on each turn: served without Express when the request allows. */
export const DIRECT_ROUTES = new Map<string, Exclude<FormatId, 'gemini'>>([
  ['/v1/chat/completions', 'openai-chat'],
  ['/v1/responses', 'openai-responses'],
  ['/v1/messages', 'claude'],
]);

/**
 * The body's declared length when the direct path can read it exactly as express.raw would: a
 * declared length within max_body_mb and no content-encoding to inflate; otherwise -1. Anything
 * else (chunked, compressed, too large) goes through Express, whose body parser handles those cases.
 */
function directlyReadableLength(req: IncomingMessage, limitBytes: number): number {
  const { headers } = req;
  if (headers['transfer-encoding'] !== undefined) return -1;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return -1;
  const declared = headers['content-length'];
  if (declared === undefined) return -1;
  const length = Number(declared);
  return Number.isInteger(length) && length >= 0 && length <= limitBytes ? length : -1;
}

/**
 * The engine's request listener. The inbound API calls (the hot path: every request an agent
 * makes) are served straight from node:http with the same checks Express's middleware makes (host
 * and origin guard, client key, body size), in the same order; everything else, and any request
 * these routes would need Express's parsing for, goes to the Express app. Express's router walk,
 * prototype swaps and body parser cost more than the proxy's own work on a small request.
 */
export function createRequestListener(deps: AppDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const viaExpress = lazyExpressApp(deps);
  const handlers = new Map([...DIRECT_ROUTES].map(([path, format]) => [path, inboundHandler(format, deps)]));
  return (req, res) => {
    const path = req.url ?? '';
    const handler = req.method === 'POST' ? handlers.get(path) : undefined;
    const limitBytes = Math.floor(deps.state().config.max_body_mb * 1024 * 1024);
    const declaredBytes = handler ? directlyReadableLength(req, limitBytes) : -1;
    if (!handler || declaredBytes < 0) {
      viaExpress(req, res);
      return;
    }
    if (!guardPasses(req, res, path, deps)) return;
    const clientKey = authorize(req, res, path, '', deps);
    if (clientKey === false) return;
    serveDirect(req, res, handler, clientKey, declaredBytes, deps);
  };
}

/** Reads the whole body, then serves it. */
function serveDirect(
  req: IncomingMessage,
  res: ServerResponse,
  handler: (request: ClientRequest, res: ServerResponse) => Promise<void>,
  clientKey: ClientKey | undefined,
  declaredBytes: number,
  deps: AppDeps,
): void {
  readDeclaredBody(req, declaredBytes, (body) => {
    handler({ req, body, clientKey }, res).catch((error: unknown) =>
      internalError(deps, res, req.url ?? '', error),
    );
  });
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** The Express app, loaded with the first request that needs it (the request waits for it). */
function lazyExpressApp(deps: AppDeps): Listener {
  const app = lazy(async (): Promise<Listener> => (await import('./express-app')).createApp(deps));
  return (req, res) => {
    const loaded = app.value;
    if (loaded) return loaded(req, res);
    app.get().then(
      (made) => made(req, res),
      (error: unknown) => internalError(deps, res, req.url ?? '', error),
    );
  };
}
