import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { ProviderConfig } from '../config/schema';
import type { Logger } from '../log';
import { type ClientKey, matchClientKey, presentedKey } from './client-auth';
import type { FormatId } from './formats/ir';
import { hostAllowed, originAllowed } from './guard';
import { apiError, formatForPath } from './http-errors';
import { type ManagementDeps, managementRouter } from './management';
import { modelNotFound } from './pipeline';
import { sendFormatError } from './respond';
import { countTokens } from './routes/count-tokens';
import {
  fromExpress,
  geminiHandler,
  inboundHandler,
  parseGeminiTarget,
  type RouteDeps,
} from './routes/inbound';
import { getGeminiModel, getOpenAIModel, listGeminiModels, listModels } from './routes/models';
import { uiRouter } from './ui-route';

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
function guardPasses(req: IncomingMessage, res: ServerResponse, path: string, deps: AppDeps): boolean {
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

function guard(deps: AppDeps): RequestHandler {
  return (req, res, next) => {
    if (guardPasses(req, res, req.path, deps)) next();
  };
}

/** express.raw with the configured size limit; rebuilt only when the limit changes. */
function rawBody(deps: AppDeps): RequestHandler {
  let limitMb = -1;
  let parser: RequestHandler = (_req, _res, next) => next();
  return (req, res, next) => {
    const wanted = deps.state().config.max_body_mb;
    if (wanted !== limitMb) {
      limitMb = wanted;
      parser = express.raw({ type: () => true, limit: Math.floor(wanted * 1024 * 1024) });
    }
    parser(req, res, next);
  };
}

/**
 * The api_keys check and the key's request-rate limit: the key the request presents (undefined when
 * api_keys is empty), or false when it was refused and the answer is sent.
 */
function authorize(
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

function clientAuth(deps: AppDeps): RequestHandler {
  return (req, res, next) => {
    const key = authorize(req, res, req.baseUrl + req.path, req.url.split('?')[1] ?? '', deps);
    if (key === false) return;
    if (key) res.locals.clientKey = key;
    next();
  };
}

function notFound(req: Request, res: Response): void {
  sendFormatError(
    res,
    formatForPath(req.path),
    apiError(404, `No route for ${req.method} ${req.path}`, { code: 'not_found' }),
  );
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  const body = rawBody(deps);

  app.use(guard(deps));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', version: deps.version });
  });
  // Claude Code posts telemetry here when pointed at a proxy; accept and drop it.
  app.post('/api/event_logging/batch', (_req, res) => {
    res.status(200).json({});
  });

  const api = express.Router();
  api.use(['/v1', '/v1beta', '/metrics'], clientAuth(deps));
  api.get('/metrics', async (_req, res) => {
    if (!deps.usage) return notFound(_req, res);
    res.setHeader('content-type', deps.usage.prometheus.registry.contentType);
    res.end(await deps.usage.prometheus.registry.metrics());
  });
  const servable = (provider: ProviderConfig) => deps.routing.accounts.accountsFor(provider).length > 0;
  api.get('/v1/models', (req, res) => {
    // GET /v1/models is both OpenAI's and Gemini's list: a Google key marks a Gemini client.
    if (req.headers['x-goog-api-key'] || typeof req.query.key === 'string')
      listGeminiModels(req, res, deps.state(), servable);
    else listModels(req, res, deps.state(), servable);
  });
  for (const [path, format] of DIRECT_ROUTES) {
    const handler = inboundHandler(format, deps);
    api.post(path, body, (req, res) => handler(fromExpress(req, res), res));
  }
  api.post('/v1/messages/count_tokens', body, (req, res) => countTokens(req, res, deps.state(), 'claude'));

  api.get('/v1beta/models', (req, res) => listGeminiModels(req, res, deps.state(), servable));
  api.get(['/v1beta/models/:model', '/v1/models/:model'], (req, res) => {
    const model = String(req.params.model);
    const gemini =
      req.path.startsWith('/v1beta/') || req.headers['x-goog-api-key'] || typeof req.query.key === 'string';
    const found = gemini
      ? getGeminiModel(model, res, deps.state())
      : getOpenAIModel(model, res, deps.state());
    if (!found) sendFormatError(res, gemini ? 'gemini' : 'openai-chat', modelNotFound(model));
  });
  const gemini = geminiHandler(deps);
  // Google serves the same API under /v1 and /v1beta; newer SDKs default to /v1.
  api.post(['/v1beta/models/:target', '/v1/models/:target'], body, async (req, res) => {
    const target = parseGeminiTarget(String(req.params.target));
    if (target?.method === 'generateContent' || target?.method === 'streamGenerateContent') {
      await gemini(req, res, target.model, target.method === 'streamGenerateContent');
    } else if (target?.method === 'countTokens') {
      countTokens(req, res, deps.state(), 'gemini', target.model);
    } else notFound(req, res);
  });
  app.use(api);
  app.use('/v0/management', managementRouter(deps));
  app.use('/ui', uiRouter(deps.uiDir));
  app.use(notFound);

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const err = error as { type?: string; status?: number; message?: string };
    const format = formatForPath(req.path);
    if (err.type === 'entity.too.large') {
      const limit = deps.state().config.max_body_mb;
      sendFormatError(
        res,
        format,
        apiError(413, `The request body is larger than ${limit} MB (max_body_mb).`),
      );
      return;
    }
    if (err.type === 'request.aborted') return;
    if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
      sendFormatError(res, format, apiError(err.status, err.message ?? 'Bad request'));
      return;
    }
    internalError(deps, res, req.path, error);
  });
  return app;
}

function internalError(deps: AppDeps, res: ServerResponse, path: string, error: unknown): void {
  const message = (error as { message?: string }).message ?? String(error);
  deps.logger.error('unhandled error in request', { path, error: message });
  sendFormatError(
    res,
    formatForPath(path),
    apiError(500, 'Internal error in the proxy; see its log for details.'),
  );
}

/** The inbound APIs every tool calls on each turn: served without Express when the request allows. */
const DIRECT_ROUTES = new Map<string, Exclude<FormatId, 'gemini'>>([
  ['/v1/chat/completions', 'openai-chat'],
  ['/v1/responses', 'openai-responses'],
  ['/v1/messages', 'claude'],
]);

/**
 * Whether the direct path can read this body exactly as express.raw would: a declared length within
 * max_body_mb and no content-encoding to inflate. Anything else (chunked, compressed, too large)
 * goes through Express, whose body parser handles those cases.
 */
function directlyReadable(req: IncomingMessage, limitBytes: number): boolean {
  const { headers } = req;
  if (headers['transfer-encoding'] !== undefined) return false;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  const declared = headers['content-length'];
  if (declared === undefined) return false;
  const length = Number(declared);
  return Number.isInteger(length) && length >= 0 && length <= limitBytes;
}

/** The whole request body, or undefined when the client went away before sending it. */
function readRequestBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
    });
    req.once('end', () => {
      done = true;
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
    const gone = () => {
      if (done) return;
      done = true;
      resolve(undefined);
    };
    req.once('error', gone);
    req.once('close', gone);
  });
}

/**
 * The engine's request listener. The inbound API calls (the hot path: every request an agent
 * makes) are served straight from node:http with the same checks Express's middleware makes (host
 * and origin guard, client key, body size), in the same order; everything else, and any request
 * these routes would need Express's parsing for, goes to the Express app. Express's router walk,
 * prototype swaps and body parser cost more than the proxy's own work on a small request.
 */
export function createRequestListener(deps: AppDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const app = createApp(deps);
  const handlers = new Map([...DIRECT_ROUTES].map(([path, format]) => [path, inboundHandler(format, deps)]));
  return (req, res) => {
    const path = req.url ?? '';
    const handler = req.method === 'POST' ? handlers.get(path) : undefined;
    const limitBytes = Math.floor(deps.state().config.max_body_mb * 1024 * 1024);
    if (!handler || !directlyReadable(req, limitBytes)) {
      app(req, res);
      return;
    }
    if (!guardPasses(req, res, path, deps)) return;
    const clientKey = authorize(req, res, path, '', deps);
    if (clientKey === false) return;
    readRequestBody(req)
      .then((body) => (body ? handler({ req, body, clientKey }, res) : undefined))
      .catch((error: unknown) => internalError(deps, res, path, error));
  };
}
