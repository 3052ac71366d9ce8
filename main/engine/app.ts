import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from '../log';
import { matchClientKey, presentedKey } from './client-auth';
import { apiError, familyForPath, sendError } from './http-errors';
import type { ProxyDeps } from './proxy';
import { chatCompletions } from './routes/chat-completions';
import { listModels } from './routes/models';
import type { EngineState } from './state';

export interface AppDeps extends ProxyDeps {
  logger: Logger;
  /** The config in effect for a request that starts now. */
  state(): EngineState;
  version: string;
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
    const query = new URLSearchParams(req.url.split('?')[1] ?? '');
    const key = matchClientKey(presentedKey(req.headers, query), clientKeys);
    if (!key) {
      sendError(
        res,
        familyForPath(req.path),
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
    res.locals.clientKey = key.name;
    next();
  };
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', version: deps.version });
  });

  const api = express.Router();
  api.use(clientAuth(deps));
  api.get('/v1/models', (req, res) => listModels(req, res, deps.state()));
  api.post('/v1/chat/completions', rawBody(deps), (req, res) =>
    chatCompletions(req, res, deps.state(), deps),
  );
  app.use(api);

  app.use((req, res) => {
    sendError(
      res,
      familyForPath(req.path),
      apiError(404, `No route for ${req.method} ${req.path}`, { code: 'not_found' }),
    );
  });

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const err = error as { type?: string; status?: number; message?: string };
    const family = familyForPath(req.path);
    if (err.type === 'entity.too.large') {
      const limit = deps.state().config.max_body_mb;
      sendError(res, family, apiError(413, `The request body is larger than ${limit} MB (max_body_mb).`));
      return;
    }
    if (err.type === 'request.aborted') return;
    if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
      sendError(res, family, apiError(err.status, err.message ?? 'Bad request'));
      return;
    }
    deps.logger.error('unhandled error in request', { path: req.path, error: err.message ?? String(error) });
    sendError(res, family, apiError(500, 'Internal error in the proxy; see its log for details.'));
  });
  return app;
}
