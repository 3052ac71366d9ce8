import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { ProviderConfig } from '../config/schema';
import type { Logger } from '../log';
import { matchClientKey, presentedKey } from './client-auth';
import { hostAllowed, originAllowed } from './guard';
import { apiError, formatForPath } from './http-errors';
import { type ManagementDeps, managementRouter } from './management';
import { modelNotFound } from './pipeline';
import { sendFormatError } from './respond';
import { countTokens } from './routes/count-tokens';
import { geminiHandler, inboundHandler, parseGeminiTarget, type RouteDeps } from './routes/inbound';
import { getGeminiModel, getOpenAIModel, listGeminiModels, listModels } from './routes/models';
import { uiRouter } from './ui-route';

export interface AppDeps extends RouteDeps, ManagementDeps {
  logger: Logger;
  version: string;
  ownOrigins(): string[];
  /** Where the built dashboard is; found next to the running code when absent. */
  uiDir?: () => string | undefined;
}

/** Host (DNS rebinding) and Origin (browser pages) checks, and CORS for the origins allowed. */
function guard(deps: AppDeps): RequestHandler {
  return (req, res, next) => {
    const { config } = deps.state();
    if (!hostAllowed(req.headers.host, config.host, config.allowed_hosts)) {
      sendFormatError(
        res,
        formatForPath(req.path),
        apiError(
          403,
          `Host ${req.headers.host} is not allowed: add it to allowed_hosts if you really use that name.`,
        ),
      );
      return;
    }
    const origin = req.headers.origin;
    // Tools and SDKs send no Origin: only browser requests pay for listing the engine's own origins.
    if (origin !== undefined && !originAllowed(origin, config.allowed_origins, deps.ownOrigins())) {
      sendFormatError(
        res,
        formatForPath(req.path),
        apiError(
          403,
          `Origin ${origin} is not allowed: list it in allowed_origins to let that page call the proxy.`,
        ),
      );
      return;
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
        res.status(204).end();
        return;
      }
    }
    next();
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

function clientAuth(deps: AppDeps): RequestHandler {
  return (req, res, next) => {
    const { clientKeys } = deps.state();
    if (clientKeys.length === 0) return next();
    const path = req.baseUrl + req.path;
    const query = new URLSearchParams(req.url.split('?')[1] ?? '');
    const key = matchClientKey(presentedKey(req.headers, query), clientKeys);
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
      return;
    }
    res.locals.clientKey = key;
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
      return;
    }
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
  api.post('/v1/chat/completions', body, inboundHandler('openai-chat', deps));
  api.post('/v1/responses', body, inboundHandler('openai-responses', deps));
  api.post('/v1/messages', body, inboundHandler('claude', deps));
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
    deps.logger.error('unhandled error in request', { path: req.path, error: err.message ?? String(error) });
    sendFormatError(res, format, apiError(500, 'Internal error in the proxy; see its log for details.'));
  });
  return app;
}
