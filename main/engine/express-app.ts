// The Express app for every route but the hot inbound calls (see createRequestListener in ./app).
// Loaded on the first request that needs it: Express and its routers cost about 7 MB resident, which
// an engine that only proxies API calls, or has not been called yet, need not pay.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { ProviderConfig } from '../config/schema';
import { type AppDeps, authorize, DIRECT_ROUTES, guardPasses, internalError } from './app';
import type { ClientKey } from './client-auth';
import { modelAllowed } from './client-limits';
import { apiError, formatForPath } from './http-errors';
import { managementRouter } from './management';
import { modelNotFound } from './pipeline';
import { sendFormatError } from './respond';
import { countTokens } from './routes/count-tokens';
import { fromExpress, geminiHandler, inboundHandler, parseGeminiTarget } from './routes/inbound';
import { getGeminiModel, getOpenAIModel, listGeminiModels, listModels } from './routes/models';
import { pathHint } from './routes/path-hint';
import { uiRouter } from './ui-route';

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

function clientAuth(deps: AppDeps): RequestHandler {
  return (req, res, next) => {
    const key = authorize(req, res, req.baseUrl + req.path, req.url.split('?')[1] ?? '', deps);
    if (key === false) return;
    if (key) res.locals.clientKey = key;
    next();
  };
}

function notFound(req: Request, res: Response): void {
  const hint = pathHint(req.path);
  sendFormatError(
    res,
    formatForPath(hint?.path ?? req.path),
    apiError(
      404,
      hint
        ? `No route for ${req.method} ${req.path}: the API is at ${hint.path}; ${hint.fix}.`
        : `No route for ${req.method} ${req.path}`,
      { code: 'not_found' },
    ),
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
    const { contentType, text } = await deps.usage.prometheus.scrape();
    res.setHeader('content-type', contentType);
    res.end(text);
  });
  const servable = (provider: ProviderConfig) => deps.routing.accounts.accountsFor(provider).length > 0;
  // A key with a models allow-list sees only the models it may use.
  const visibleTo = (res: Response) => {
    const key = res.locals.clientKey as ClientKey | undefined;
    return (model: string) => !key || modelAllowed(key, model);
  };
  api.get('/v1/models', (req, res) => {
    // GET /v1/models is both OpenAI's and Gemini's list: a Google key marks a Gemini client.
    if (req.headers['x-goog-api-key'] || typeof req.query.key === 'string')
      listGeminiModels(req, res, deps.state(), servable, visibleTo(res));
    else listModels(req, res, deps.state(), servable, visibleTo(res));
  });
  for (const [path, format] of DIRECT_ROUTES) {
    const handler = inboundHandler(format, deps);
    api.post(path, body, (req, res) => handler(fromExpress(req, res), res));
  }
  api.post('/v1/messages/count_tokens', body, (req, res) => countTokens(req, res, deps.state(), 'claude'));

  api.get('/v1beta/models', (req, res) => listGeminiModels(req, res, deps.state(), servable, visibleTo(res)));
  api.get(['/v1beta/models/:model', '/v1/models/:model'], (req, res) => {
    const model = String(req.params.model);
    const gemini =
      req.path.startsWith('/v1beta/') || req.headers['x-goog-api-key'] || typeof req.query.key === 'string';
    const found =
      visibleTo(res)(model) &&
      (gemini ? getGeminiModel(model, res, deps.state()) : getOpenAIModel(model, res, deps.state()));
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
