import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler, type Response, type Router } from 'express';
import type { Api, ErrorEnvelope } from '../../shared/contract';
import type { EngineStatus, ProviderHealth } from '../../shared/status';
import type { AuthManager } from '../auth/manager';
import { dispatch } from '../contract-handlers';
import { apiError } from './http-errors';
import { sendFormatError } from './respond';
import type { EngineState } from './state';
import { type UsageDeps, usageRouter } from './usage-routes';

const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 60_000;
/** Addresses with failed logins remembered before the expired ones are swept. */
const MAX_TRACKED_ADDRESSES = 1_000;

export interface ManagementDeps {
  state(): EngineState;
  status(): EngineStatus;
  checkHealth(provider: string): Promise<ProviderHealth | undefined>;
  refreshModels(provider: string): Promise<string[] | undefined>;
  refreshQuotas(): Promise<void>;
  /** Writes `enabled` for a provider into config.yaml (comments kept); the watcher applies it. */
  setProviderEnabled?(provider: string, enabled: boolean): Promise<void>;
  /** Subscribes to status changes; returns the unsubscribe function. */
  onStateChanged(listener: (status: EngineStatus) => void): () => void;
  auth?: AuthManager;
  usage?: UsageDeps;
  /** The UI contract's handlers, for the browser's HTTP bridge (attached after startup). */
  rpc?: () => Api | undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * `/v0/management/*` exists only when `management_secret` is set, and then wants it as a bearer
 * token. Failed attempts are throttled per client address so the secret cannot be guessed fast.
 */
export function managementAuth(deps: ManagementDeps, now: () => number = Date.now): RequestHandler {
  const failures = new Map<string, number[]>();
  return (req, res, next) => {
    const secret = deps.state().config.management_secret;
    if (!secret) {
      sendFormatError(
        res,
        'openai-chat',
        apiError(404, 'Management API is off: set management_secret in the config.'),
      );
      return;
    }
    const address = req.socket.remoteAddress ?? 'unknown';
    const recent = (failures.get(address) ?? []).filter((t) => t > now() - FAILURE_WINDOW_MS);
    if (recent.length >= MAX_FAILURES) {
      const retryAfter = Math.ceil(((recent[0] ?? now()) + FAILURE_WINDOW_MS - now()) / 1000);
      sendFormatError(
        res,
        'openai-chat',
        apiError(429, 'Too many failed management logins; wait a minute.', { retryAfter }),
      );
      return;
    }
    const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (match?.[1] && timingSafeEqual(digest(match[1].trim()), digest(secret))) {
      failures.delete(address);
      next();
      return;
    }
    recent.push(now());
    failures.set(address, recent);
    // Reachable from a network, the addresses are many: forget those whose window has passed.
    if (failures.size > MAX_TRACKED_ADDRESSES)
      for (const [other, times] of failures)
        if ((times.at(-1) ?? 0) <= now() - FAILURE_WINDOW_MS) failures.delete(other);
    sendFormatError(
      res,
      'openai-chat',
      apiError(401, 'Management API needs Authorization: Bearer <management_secret>.'),
    );
  };
}

export function managementRouter(deps: ManagementDeps): Router {
  const router = express.Router();
  router.use(managementAuth(deps));
  router.get('/status', (_req, res) => {
    res.json(deps.status());
  });
  if (deps.usage) router.use(usageRouter(deps.usage, deps.onStateChanged, deps.auth));
  router.post('/providers/:name/health', async (req, res) => {
    const result = await deps.checkHealth(String(req.params.name));
    if (!result) {
      sendFormatError(
        res,
        'openai-chat',
        apiError(404, `No provider named ${JSON.stringify(req.params.name)}.`),
      );
      return;
    }
    res.json(result);
  });
  router.post('/providers/:name/enabled', express.json({ limit: '4kb' }), async (req, res) => {
    const enabled = (req.body as { enabled?: unknown } | undefined)?.enabled;
    if (typeof enabled !== 'boolean') {
      sendFormatError(
        res,
        'openai-chat',
        apiError(400, 'enabled: true or false is required', { param: 'enabled' }),
      );
      return;
    }
    if (!deps.setProviderEnabled) return notAvailable(res);
    try {
      await deps.setProviderEnabled(String(req.params.name), enabled);
      res.json({ provider: req.params.name, enabled });
    } catch (error) {
      sendFormatError(res, 'openai-chat', apiError(400, (error as Error).message));
    }
  });
  router.post('/rpc/:method', express.json({ limit: '2mb' }), async (req, res) => {
    const rpc = deps.rpc?.();
    if (!rpc) return notAvailable(res);
    const result = await dispatch(rpc, String(req.params.method), req.body);
    const error = (result as Partial<ErrorEnvelope> | undefined)?.error;
    res
      .status(error ? (error.code === 'not_found' ? 404 : error.code === 'invalid_input' ? 400 : 500) : 200)
      .json(result ?? {});
  });
  router.post('/quotas/refresh', async (_req, res) => {
    await deps.refreshQuotas();
    res.json({ quotas: deps.status().quotas });
  });
  router.post('/providers/:name/models/refresh', async (req, res) => {
    try {
      const models = await deps.refreshModels(String(req.params.name));
      if (!models) {
        sendFormatError(
          res,
          'openai-chat',
          apiError(
            404,
            `Provider ${JSON.stringify(req.params.name)} offers no models list (or has no signed-in account).`,
          ),
        );
        return;
      }
      res.json({ models });
    } catch (error) {
      sendFormatError(res, 'openai-chat', apiError(502, (error as Error).message));
    }
  });
  router.use(express.json({ limit: '64kb' }));
  router.post('/logins', async (req, res) => {
    const provider = (req.body as { provider?: unknown } | undefined)?.provider;
    if (!deps.auth) return notAvailable(res);
    if (typeof provider !== 'string' || !provider) {
      sendFormatError(
        res,
        'openai-chat',
        apiError(400, 'provider: the name of a provider entry from the config is required', {
          param: 'provider',
        }),
      );
      return;
    }
    try {
      res.status(201).json(await deps.auth.startLogin(provider));
    } catch (error) {
      sendFormatError(res, 'openai-chat', apiError(400, (error as Error).message, { param: 'provider' }));
    }
  });
  router.get('/logins/:id', (req, res) => {
    const state = deps.auth?.login(String(req.params.id));
    if (!state) return missing(res, 'login');
    res.json(state);
  });
  router.delete('/logins/:id', (req, res) => {
    if (!deps.auth?.cancelLogin(String(req.params.id))) return missing(res, 'login');
    res.status(204).end();
  });
  router.get('/accounts', (_req, res) => {
    res.json({ items: deps.auth?.accounts() ?? [] });
  });
  router.delete('/accounts/:id', async (req, res) => {
    if (!deps.auth || !(await deps.auth.removeAccount(String(req.params.id)))) return missing(res, 'account');
    res.status(204).end();
  });
  return router;
}

function missing(res: Response, what: string): void {
  sendFormatError(res, 'openai-chat', apiError(404, `No such ${what}.`));
}

function notAvailable(res: Response): void {
  sendFormatError(res, 'openai-chat', apiError(501, 'Not available in this process.'));
}
