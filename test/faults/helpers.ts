import { startTestEngine, type TestEngine } from '../helpers/engine';
import type { MockUpstream } from '../mocks/common';
import { startMockOpenAI } from '../mocks/openai';
import { type FaultUpstream, PROVIDER_TYPE, providerEntry, startFaultUpstream } from './upstream';
import {
  CLIENT_FORMATS,
  type ClientFormat,
  expectAnswer,
  send,
  UPSTREAM_FORMATS,
  type UpstreamFormat,
} from './wire';

/** Small timeouts so stalls are detected in a fraction of a second. */
export const FAST_TIMEOUTS = 'timeouts: {connect: 500ms, first_byte: 400ms, idle: 400ms, total: 20s}';

/** Every client API against every upstream wire format (passthrough where they match). */
export const PAIRS: Array<[ClientFormat, UpstreamFormat]> = CLIENT_FORMATS.flatMap((client) =>
  UPSTREAM_FORMATS.map((upstream): [ClientFormat, UpstreamFormat] => [client, upstream]),
);

export const pairName = ([client, upstream]: [ClientFormat, UpstreamFormat]) => `${client} → ${upstream}`;

/**
 * The alias that routes `client`'s requests to the fault upstream speaking `upstream`. Each pair (and
 * its streamed variant) has its own model, so a cooldown never leaks into a case running alongside.
 */
export const viaAlias = (upstream: UpstreamFormat, client: ClientFormat, stream = false) =>
  `via-${upstream}-for-${client}${stream ? '-streamed' : ''}`;

/**
 * An engine with one fault upstream per wire format (see viaAlias) and a healthy OpenAI mock
 * behind the alias `ok`, for the follow-up request every case ends with.
 */
export interface FaultRig {
  engine: TestEngine;
  faults: Record<UpstreamFormat, FaultUpstream>;
  healthy: MockUpstream;
  stop(): Promise<void>;
}

export async function startFaultRig(
  opts: { top?: string; providers?: (faults: Record<UpstreamFormat, FaultUpstream>) => string } = {},
): Promise<FaultRig> {
  const faults = {} as Record<UpstreamFormat, FaultUpstream>;
  for (const format of UPSTREAM_FORMATS) {
    faults[format] = await startFaultUpstream(({ res }) => {
      res.writeHead(500).end('no scenario set');
    });
  }
  const healthy = await startMockOpenAI({ apiKey: 'k-ok' });
  const entries = UPSTREAM_FORMATS.map((format) => {
    const models = CLIENT_FORMATS.flatMap((client) =>
      [false, true].map(
        (stream) => `{name: up-${client}-${stream}, alias: ${viaAlias(format, client, stream)}}`,
      ),
    );
    return `  - {name: fault-${format}, type: ${PROVIDER_TYPE[format]}, api_key: k, endpoint: "${faults[format].url}", models: [${models.join(', ')}]}\n`;
  }).join('');
  const engine = await startTestEngine(
    `${opts.top ?? FAST_TIMEOUTS}\nmanagement_secret: ${MANAGEMENT_SECRET}\nrouting_strategy: fill_first\nproviders:\n${entries}` +
      providerEntry({
        name: 'ok',
        format: 'openai-chat',
        url: healthy.url,
        model: 'gpt-4o-mini',
        alias: 'ok',
      }) +
      (opts.providers?.(faults) ?? ''),
  );
  return {
    engine,
    faults,
    healthy,
    async stop() {
      await engine.stop();
      await Promise.all([...Object.values(faults).map((f) => f.close()), healthy.close()]);
    },
  };
}

export const MANAGEMENT_SECRET = 'faults-management-secret-0123';

/** GETs a management endpoint (the rig's engines all carry MANAGEMENT_SECRET). */
export async function management<T>(engine: TestEngine, path: string): Promise<T> {
  const res = await fetch(`${engine.url}/v0/management${path}`, {
    headers: { authorization: `Bearer ${MANAGEMENT_SECRET}` },
  });
  if (!res.ok) throw new Error(`management ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Forgets every cooldown, so the next case starts with every account available. */
export function clearCooldowns(engine: TestEngine): void {
  const { book } = engine.services.engine.routing;
  for (const entry of book.list()) book.recordSuccess(entry.account, entry.model);
}

/** The engine still serves every client API, streamed and not, after whatever just happened. */
export async function expectStillServing(engine: TestEngine): Promise<void> {
  await Promise.all(
    CLIENT_FORMATS.flatMap((format) =>
      [false, true].map(async (stream) => {
        const reply = await send(engine.url, format, 'ok', 'still there', stream);
        expectAnswer(format, reply, stream, 'Echo: still there');
      }),
    ),
  );
}

/** Every POST route a client may call, with the API (and so the error shape) it belongs to. */
export const POST_ROUTES: Array<{ format: ClientFormat; path: string }> = [
  { format: 'openai-chat', path: '/v1/chat/completions' },
  { format: 'openai-responses', path: '/v1/responses' },
  { format: 'claude', path: '/v1/messages' },
  { format: 'claude', path: '/v1/messages/count_tokens' },
  { format: 'gemini', path: '/v1beta/models/ok:generateContent' },
  { format: 'gemini', path: '/v1beta/models/ok:streamGenerateContent?alt=sse' },
  { format: 'gemini', path: '/v1beta/models/ok:countTokens' },
  { format: 'gemini', path: '/v1/models/ok:generateContent' },
];
