import { randomUUID } from 'node:crypto';
import type { QuotaWindow } from '../../../shared/status';
import { COPILOT_EDITOR_HEADERS } from '../../auth/copilot-token';
import type { ProviderDescriptor } from './types';
import { joinEndpoint } from './types';

export const COPILOT_API = 'https://api.githubcopilot.com';

type ChatMessage = { role?: unknown; content?: unknown };

/**
 * `user` when the conversation ends with the user's own turn, `agent` for follow-ups after assistant
 * or tool turns: Copilot bills premium requests by it, so an agent loop must not count as many users.
 */
export function initiator(body: Record<string, unknown>): 'user' | 'agent' {
  const messages = Array.isArray(body.messages) ? (body.messages as ChatMessage[]) : [];
  return messages.at(-1)?.role === 'user' ? 'user' : 'agent';
}

export function hasImages(body: Record<string, unknown>): boolean {
  const messages = Array.isArray(body.messages) ? (body.messages as ChatMessage[]) : [];
  return messages.some(
    (m) => Array.isArray(m.content) && m.content.some((p) => (p as { type?: unknown }).type === 'image_url'),
  );
}

export const copilotProvider: ProviderDescriptor = {
  type: 'copilot',
  label: 'GitHub Copilot',
  format: 'openai-chat',
  defaultEndpoint: COPILOT_API,
  target(provider, call) {
    const token = call.credential.kind === 'oauth' ? call.credential.accessToken : call.credential.key;
    const base =
      (call.credential.kind === 'oauth' ? call.credential.baseUrl : undefined) ??
      provider.endpoint ??
      COPILOT_API;
    return {
      url: joinEndpoint(base, '/chat/completions'),
      headers: {
        ...provider.headers,
        ...COPILOT_EDITOR_HEADERS,
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'openai-intent': 'conversation-panel',
        'x-github-api-version': '2025-04-01',
        'x-request-id': randomUUID(),
        'x-initiator': initiator(call.body),
        ...(hasImages(call.body) ? { 'copilot-vision-request': 'true' } : {}),
      },
    };
  },
  modelList: {
    target(provider, credential) {
      const token = credential.kind === 'oauth' ? credential.accessToken : credential.key;
      const base =
        (credential.kind === 'oauth' ? credential.baseUrl : undefined) ?? provider.endpoint ?? COPILOT_API;
      return {
        url: joinEndpoint(base, '/models'),
        headers: { ...COPILOT_EDITOR_HEADERS, authorization: `Bearer ${token}` },
      };
    },
    parse(body) {
      const data = typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
      if (!Array.isArray(data)) return [];
      return data.flatMap((m) => {
        const model = m as { id?: unknown; capabilities?: { type?: unknown } };
        const chat = model.capabilities?.type === undefined || model.capabilities.type === 'chat';
        return typeof model.id === 'string' && chat ? [model.id] : [];
      });
    },
  },
  quota: {
    target(provider, _credential, githubToken) {
      if (!githubToken) return undefined;
      return {
        url: new URL(provider.oauth?.quota_url ?? 'https://api.github.com/copilot_internal/user'),
        headers: {
          ...COPILOT_EDITOR_HEADERS,
          authorization: `token ${githubToken}`,
          accept: 'application/json',
        },
      };
    },
    parse: parseCopilotQuota,
  },
  healthTarget(provider) {
    return {
      url: joinEndpoint(provider.endpoint ?? COPILOT_API, '/models'),
      headers: { ...COPILOT_EDITOR_HEADERS },
    };
  },
};

/** Copilot's user endpoint: `quota_snapshots` per kind (chat, premium_interactions...) and a monthly reset date. */
export function parseCopilotQuota(body: unknown): QuotaWindow[] {
  if (typeof body !== 'object' || body === null) return [];
  const b = body as { quota_snapshots?: Record<string, unknown>; quota_reset_date?: unknown };
  const resets = typeof b.quota_reset_date === 'string' ? Date.parse(b.quota_reset_date) : Number.NaN;
  return Object.entries(b.quota_snapshots ?? {}).flatMap(([name, raw]) => {
    const q = raw as {
      entitlement?: unknown;
      remaining?: unknown;
      percent_remaining?: unknown;
      unlimited?: unknown;
    } | null;
    if (!q || q.unlimited === true) return [];
    return [
      {
        name,
        ...(typeof q.entitlement === 'number' ? { limit: q.entitlement } : {}),
        ...(typeof q.remaining === 'number' ? { remaining: q.remaining } : {}),
        ...(typeof q.percent_remaining === 'number'
          ? { used_percent: Math.round((100 - q.percent_remaining) * 10) / 10 }
          : {}),
        ...(Number.isNaN(resets) ? {} : { resets_at: resets }),
      },
    ];
  });
}
