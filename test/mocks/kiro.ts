import type { ServerResponse } from 'node:http';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import {
  type MockUpstream,
  plan,
  type RecordedRequest,
  randomId,
  sendJson,
  splitInto,
  startMock,
  wordsOf,
} from './common';

type Json = Record<string, unknown>;
const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** One AWS event-stream frame, CRC-stamped by @smithy/eventstream-codec. */
export function frame(
  eventType: string,
  payload: Json,
  messageType: 'event' | 'exception' = 'event',
): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: messageType },
      [messageType === 'event' ? ':event-type' : ':exception-type']: { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** What CodeWhisperer refuses in a conversationState. */
function validate(body: Json): string | undefined {
  const state = body.conversationState as Json | undefined;
  const current = (state?.currentMessage as Json | undefined)?.userInputMessage as Json | undefined;
  if (!current || typeof current.content !== 'string' || current.content === '')
    return 'Improperly formed request: currentMessage content is empty';
  if (!current.modelId) return 'Improperly formed request: modelId is required';
  const history = Array.isArray(state?.history) ? (state?.history as Json[]) : [];
  for (let i = 0; i < history.length; i++) {
    const expected = i % 2 === 0 ? 'userInputMessage' : 'assistantResponseMessage';
    if (!history[i]?.[expected]) return `Improperly formed request: history[${i}] must be ${expected}`;
  }
  if (history.length % 2 !== 0)
    return 'Improperly formed request: history must end with an assistant message';
  return undefined;
}

function respond(request: RecordedRequest, res: ServerResponse) {
  if (request.headers['x-amz-target'] !== 'AmazonCodeWhispererStreamingService.GenerateAssistantResponse') {
    return sendJson(res, 400, { message: 'Missing or wrong X-Amz-Target' });
  }
  const body = request.body as Json;
  const invalid = validate(body);
  if (invalid) return sendJson(res, 400, { message: invalid, reason: 'INVALID_REQUEST' });
  const current = ((body.conversationState as Json).currentMessage as Json).userInputMessage as Json;
  if (String(current.content).length > 50_000)
    return sendJson(res, 400, { message: 'Input is too long.', reason: 'CONTENT_LENGTH_EXCEEDS_THRESHOLD' });
  const context = (current.userInputMessageContext as Json | undefined) ?? {};
  const results = Array.isArray(context.toolResults)
    ? (context.toolResults as Json[]).map((r) =>
        ((r.content as Json[] | undefined) ?? []).map((c) => String(c.text ?? '')).join(''),
      )
    : [];
  const tools = Array.isArray(context.tools) ? (context.tools as Json[]) : [];
  const firstTool = (tools[0]?.toolSpecification as Json | undefined)?.name;
  const userText = String(current.content).split('\n').at(-1) ?? '';
  const decision = plan({
    toolResults: results.length > 0 ? results : undefined,
    firstTool: typeof firstTool === 'string' ? firstTool : undefined,
    lastUserText: userText,
    thinking: false,
  });
  const frames: Uint8Array[] = [];
  if (decision.kind === 'text') {
    for (const word of wordsOf(decision.text))
      frames.push(frame('assistantResponseEvent', { content: word }));
  } else {
    for (const args of decision.calls) {
      const id = `tooluse_${randomId()}`;
      const pieces = splitInto(JSON.stringify(args), 3);
      pieces.forEach((input, i) => {
        frames.push(
          frame('toolUseEvent', {
            toolUseId: id,
            name: decision.name,
            input,
            ...(i === pieces.length - 1 ? { stop: true } : {}),
          }),
        );
      });
    }
  }
  frames.push(frame('contextUsageEvent', { contextUsagePercentage: 1.5 }));
  if (userText.includes('corrupt')) {
    const bad = frame('assistantResponseEvent', { content: 'never' });
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0xff;
    frames.splice(1, 0, bad);
  } else frames.push(frame('messageStopEvent', {}));
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
  for (const f of frames) res.write(f);
  res.end();
}

export interface MockKiro extends MockUpstream {
  approve(userCode: string): void;
  /** Every access token issued so far stops working (refresh tokens still do). */
  revokeAccessTokens(): void;
}

/** AWS SSO-OIDC (Builder ID device flow) and CodeWhisperer's generateAssistantResponse, on one port. */
export async function startMockKiro(): Promise<MockKiro> {
  const devices = new Map<string, { userCode: string; approved: boolean }>();
  const tokens = new Set<string>();
  const refreshTokens = new Set<string>();
  const issue = () => {
    const accessToken = `aoa${randomId()}${randomId()}`;
    const refreshToken = `aor${randomId()}`;
    tokens.add(accessToken);
    refreshTokens.add(refreshToken);
    return { accessToken, refreshToken, expiresIn: 3600, tokenType: 'Bearer' };
  };
  const mock = await startMock((request, res) => {
    const body = (request.body ?? {}) as Json;
    if (request.path === '/client/register')
      return sendJson(res, 200, {
        clientId: `cid-${randomId()}`,
        clientSecret: `cs-${randomId()}`,
        clientSecretExpiresAt: 2_000_000_000,
      });
    if (request.path === '/device_authorization') {
      const deviceCode = `dc-${randomId()}`;
      const userCode = randomId().slice(0, 8).toUpperCase();
      devices.set(deviceCode, { userCode, approved: false });
      return sendJson(res, 200, {
        deviceCode,
        userCode,
        verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
        verificationUriComplete: `https://device.sso.us-east-1.amazonaws.com/?user_code=${userCode}`,
        expiresIn: 600,
        interval: 1,
      });
    }
    if (request.path === '/token') {
      if (body.grantType === 'refresh_token') {
        if (!refreshTokens.has(String(body.refreshToken)))
          return sendJson(res, 400, { error: 'invalid_grant' });
        return sendJson(res, 200, issue());
      }
      const device = devices.get(String(body.deviceCode));
      if (!device) return sendJson(res, 400, { error: 'invalid_grant' });
      if (!device.approved) return sendJson(res, 400, { error: 'authorization_pending' });
      return sendJson(res, 200, issue());
    }
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    if (!bearer || !tokens.has(bearer))
      return sendJson(res, 403, { message: 'The bearer token included in the request is invalid.' });
    if (request.method === 'POST' && request.path === '/generateAssistantResponse')
      return respond(request, res);
    return sendJson(res, 404, { message: 'not found' });
  });
  return {
    ...mock,
    get aborted() {
      return mock.aborted;
    },
    approve(userCode: string) {
      for (const device of devices.values()) if (device.userCode === userCode) device.approved = true;
    },
    revokeAccessTokens() {
      tokens.clear();
    },
  };
}
