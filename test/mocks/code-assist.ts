import { request } from 'undici';
import { type MockUpstream, sendJson, startMock } from './common';
import { startMockGemini } from './gemini';

type Json = Record<string, unknown>;

export interface MockCodeAssist extends MockUpstream {
  /** Onboarding calls received (loadCodeAssist, onboardUser). */
  onboarding: string[];
}

/**
 * Google's Code Assist API as Gemini CLI uses it: onboarding (loadCodeAssist, then onboardUser as a
 * long-running operation) and generateContent / streamGenerateContent with the {model, project,
 * request} envelope answered as {response}. Generation is delegated to the Gemini mock. Also answers
 * Cloud Resource Manager's project list (`GET /v1/projects`) for the same tokens.
 */
export async function startMockCodeAssist(opts: {
  acceptToken: (token: string) => boolean;
}): Promise<MockCodeAssist> {
  const gemini = await startMockGemini({ apiKey: 'inner' });
  const onboarding: string[] = [];
  let onboardPolls = 0;
  const mock = await startMock(async (req, res, signal) => {
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (!bearer || !opts.acceptToken(bearer))
      return sendJson(res, 401, {
        error: {
          code: 401,
          message: 'Request had invalid authentication credentials.',
          status: 'UNAUTHENTICATED',
        },
      });
    const body = (req.body ?? {}) as Json;
    if (req.path === '/v1/projects' && req.method === 'GET') {
      return sendJson(res, 200, {
        projects: [
          { projectId: 'proj-123', name: 'Assigned', lifecycleState: 'ACTIVE' },
          { projectId: 'team-project-7', name: 'Team', lifecycleState: 'ACTIVE' },
        ],
      });
    }
    if (req.path === '/v1internal:loadCodeAssist') {
      onboarding.push('loadCodeAssist');
      return sendJson(res, 200, { allowedTiers: [{ id: 'free-tier', isDefault: true }] });
    }
    if (req.path === '/v1internal:onboardUser') {
      onboarding.push('onboardUser');
      onboardPolls++;
      return sendJson(
        res,
        200,
        onboardPolls < 2
          ? { done: false }
          : { done: true, response: { cloudaicompanionProject: { id: 'proj-123' } } },
      );
    }
    const match = /^\/v1internal:(generateContent|streamGenerateContent)$/.exec(req.path);
    if (!match)
      return sendJson(res, 404, { error: { code: 404, message: 'not found', status: 'NOT_FOUND' } });
    if (
      typeof body.model !== 'string' ||
      typeof body.project !== 'string' ||
      typeof body.request !== 'object'
    ) {
      return sendJson(res, 400, {
        error: {
          code: 400,
          message: 'envelope {model, project, request} required',
          status: 'INVALID_ARGUMENT',
        },
      });
    }
    const stream = match[1] === 'streamGenerateContent';
    const inner = await request(
      `${gemini.url}/v1beta/models/${body.model}:${match[1]}${stream ? '?alt=sse' : ''}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': 'inner' },
        body: JSON.stringify(body.request),
        signal,
      },
    );
    const text = await inner.body.text();
    if (inner.statusCode >= 400 || !stream) {
      return sendJson(
        res,
        inner.statusCode,
        inner.statusCode >= 400 ? JSON.parse(text) : { response: JSON.parse(text), traceId: 't-1' },
      );
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const line of text.split('\r\n\r\n')) {
      if (line.startsWith('data: '))
        res.write(`data: ${JSON.stringify({ response: JSON.parse(line.slice(6)), traceId: 't-1' })}\r\n\r\n`);
    }
    res.end();
  });
  return {
    ...mock,
    get aborted() {
      return mock.aborted;
    },
    onboarding,
    async close() {
      await mock.close();
      await gemini.close();
    },
  };
}
