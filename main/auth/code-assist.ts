import { requestVia } from '../engine/upstream/http';

export const CODE_ASSIST_ENDPOINT = 'https://cloudcode-pa.googleapis.com';

const CLIENT_METADATA = {
  ideType: 'IDE_UNSPECIFIED',
  platform: 'PLATFORM_UNSPECIFIED',
  pluginType: 'GEMINI',
};

type Json = Record<string, unknown>;

async function post(url: string, token: string, body: Json, proxyUrl: string | undefined): Promise<Json> {
  const response = await requestVia(proxyUrl, url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  if (response.statusCode >= 400)
    throw new Error(`Code Assist answered HTTP ${response.statusCode}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as Json;
}

function projectOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value) return value;
  if (value && typeof value === 'object' && typeof (value as Json).id === 'string')
    return (value as Json).id as string;
  return undefined;
}

/**
 * Code Assist onboarding after a Google sign-in: `loadCodeAssist` names the user's project when
 * they have one; otherwise `onboardUser` on the default tier provisions one (a long-running
 * operation polled until done). Returns the project id and the tier.
 */
export async function onboardCodeAssist(
  endpoint: string,
  token: string,
  options: { pollMs?: number; maxPolls?: number; proxyUrl?: string | undefined } = {},
): Promise<{ projectId?: string; tier?: string }> {
  const base = endpoint.replace(/\/+$/, '');
  const loaded = await post(
    `${base}/v1internal:loadCodeAssist`,
    token,
    { metadata: CLIENT_METADATA },
    options.proxyUrl,
  );
  const current = loaded.currentTier as Json | undefined;
  const existing = projectOf(loaded.cloudaicompanionProject);
  if (existing)
    return { projectId: existing, ...(typeof current?.id === 'string' ? { tier: current.id } : {}) };
  const tiers = Array.isArray(loaded.allowedTiers) ? (loaded.allowedTiers as Json[]) : [];
  const tier = (tiers.find((t) => t.isDefault === true) ?? tiers[0])?.id;
  const tierId = typeof tier === 'string' ? tier : 'free-tier';
  for (let i = 0; i < (options.maxPolls ?? 10); i++) {
    const operation = await post(
      `${base}/v1internal:onboardUser`,
      token,
      {
        tierId,
        metadata: CLIENT_METADATA,
      },
      options.proxyUrl,
    );
    if (operation.done === true) {
      const response = operation.response as Json | undefined;
      return {
        tier: tierId,
        ...(projectOf(response?.cloudaicompanionProject)
          ? { projectId: projectOf(response?.cloudaicompanionProject) }
          : {}),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2_000));
  }
  throw new Error('Code Assist onboarding did not finish; try signing in again');
}
