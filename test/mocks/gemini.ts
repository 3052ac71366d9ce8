import type { ServerResponse } from 'node:http';
import {
  countWords,
  limitWords,
  type MockUpstream,
  plan,
  type RecordedRequest,
  sendJson,
  startMock,
  wordsOf,
  writeEvents,
} from './common';

type Json = Record<string, unknown>;

function googleError(res: ServerResponse, status: number, code: string, message: string) {
  sendJson(res, status, { error: { code: status, message, status: code } });
}

const FORBIDDEN_SCHEMA_KEYS = [
  '$schema',
  'additionalProperties',
  '$ref',
  '$defs',
  'const',
  'exclusiveMinimum',
];

function forbiddenKey(node: unknown): string | undefined {
  if (Array.isArray(node)) return node.map(forbiddenKey).find(Boolean);
  if (!node || typeof node !== 'object') return undefined;
  for (const [key, value] of Object.entries(node)) {
    if (FORBIDDEN_SCHEMA_KEYS.includes(key)) return key;
    const inner = forbiddenKey(value);
    if (inner) return inner;
  }
  return undefined;
}

/** What the real generateContent refuses. */
export function validateGenerate(body: Json): string | undefined {
  if (!Array.isArray(body.contents) || body.contents.length === 0)
    return '* GenerateContentRequest.contents: contents is not specified';
  const contents = body.contents as Json[];
  for (let i = 0; i < contents.length; i++) {
    const c = contents[i] as Json;
    if (c.role !== undefined && c.role !== 'user' && c.role !== 'model') {
      return `Please use a valid role: user, model. (contents[${i}].role = ${JSON.stringify(c.role)})`;
    }
    if (!Array.isArray(c.parts) || c.parts.length === 0)
      return `* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`;
    for (const p of c.parts as Json[]) {
      const fr = p.functionResponse as Json | undefined;
      if (fr) {
        if (typeof fr.name !== 'string' || fr.name === '')
          return `* GenerateContentRequest.contents[${i}].parts.function_response.name: Name cannot be empty.`;
        if (typeof fr.response !== 'object' || fr.response === null || Array.isArray(fr.response)) {
          return `Invalid JSON payload received. contents[${i}].parts.function_response.response: expected an object`;
        }
      }
    }
    const responses = (c.parts as Json[]).filter((p) => p.functionResponse).length;
    const prev = contents[i - 1] as Json | undefined;
    const calls = prev?.role === 'model' ? (prev.parts as Json[]).filter((p) => p.functionCall).length : 0;
    if (responses > 0 && responses !== calls) {
      return 'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.';
    }
  }
  const key = forbiddenKey((body.tools as Json[] | undefined)?.map((t) => t.functionDeclarations));
  if (key)
    return `Invalid JSON payload received. Unknown name "${key}" at 'tools[0].function_declarations[0].parameters': Cannot find field.`;
  return undefined;
}

function textOfParts(parts: Json[]): string {
  return parts.flatMap((p) => (typeof p.text === 'string' && p.thought !== true ? [p.text] : [])).join(' ');
}

function generate(
  request: RecordedRequest,
  res: ServerResponse,
  signal: AbortSignal,
  model: string,
  stream: boolean,
) {
  const body = request.body as Json;
  const invalid = validateGenerate(body);
  if (invalid) return googleError(res, 400, 'INVALID_ARGUMENT', invalid);
  const contents = body.contents as Json[];
  const last = contents.at(-1) as Json;
  const lastParts = last.parts as Json[];
  const results = lastParts.flatMap((p) => {
    const fr = p.functionResponse as Json | undefined;
    if (!fr) return [];
    const response = fr.response as Json;
    return [
      typeof response.output === 'string' && Object.keys(response).length === 1
        ? response.output
        : JSON.stringify(response),
    ];
  });
  const lastUser = [...contents]
    .reverse()
    .find((c) => (c.role ?? 'user') === 'user' && textOfParts(c.parts as Json[]) !== '');
  const decls = ((body.tools as Json[] | undefined) ?? []).flatMap(
    (t) => (t.functionDeclarations as Json[] | undefined) ?? [],
  );
  const gc = (body.generationConfig as Json | undefined) ?? {};
  const thinking = (gc.thinkingConfig as Json | undefined)?.includeThoughts === true;
  const decision = plan({
    toolResults: results.length > 0 ? results : undefined,
    firstTool: typeof decls[0]?.name === 'string' ? (decls[0].name as string) : undefined,
    lastUserText: lastUser ? textOfParts(lastUser.parts as Json[]) : '',
    thinking,
  });
  const cut =
    decision.kind === 'text'
      ? limitWords(decision.text, gc.maxOutputTokens as number | undefined)
      : { text: '', truncated: false };
  const calls =
    decision.kind === 'tools'
      ? decision.calls.map((args) => ({ functionCall: { name: decision.name, args } }))
      : [];
  const finishReason = cut.truncated ? 'MAX_TOKENS' : 'STOP';
  const promptTokenCount = Math.ceil(JSON.stringify(contents).length / 4);
  const candidatesTokenCount = decision.kind === 'text' ? countWords(cut.text) : 10 * calls.length;
  const usageMetadata = {
    promptTokenCount,
    candidatesTokenCount,
    totalTokenCount: promptTokenCount + candidatesTokenCount,
  };
  const thought = thinking ? [{ text: 'Thinking about it.', thought: true }] : [];
  const chunk = (parts: Json[], final: boolean) => ({
    candidates: [{ content: { role: 'model', parts }, index: 0, ...(final ? { finishReason } : {}) }],
    ...(final ? { usageMetadata } : {}),
    modelVersion: model,
    responseId: 'resp-mock',
  });
  if (!stream) {
    const parts = [...thought, ...(decision.kind === 'text' ? [{ text: cut.text }] : calls)];
    return sendJson(res, 200, chunk(parts, true));
  }
  const pieces: Json[][] = [
    ...(thought.length ? [thought] : []),
    ...(decision.kind === 'text' ? wordsOf(cut.text).map((w) => [{ text: w }]) : calls.map((c) => [c])),
  ];
  const chunks = pieces.map((parts, i) => chunk(parts, i === pieces.length - 1));
  const sse = request.query.get('alt') === 'sse';
  if (sse) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    return writeEvents(
      res,
      chunks.map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`),
      signal,
    );
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  return writeEvents(
    res,
    chunks.map(
      (c, i) => `${i === 0 ? '[' : ',\r\n'}${JSON.stringify(c)}${i === chunks.length - 1 ? ']' : ''}`,
    ),
    signal,
  );
}

/** A mock of the Gemini API (generateContent, streamGenerateContent, countTokens, models). */
export function startMockGemini(opts: { apiKey?: string } = {}): Promise<MockUpstream> {
  const apiKey = opts.apiKey ?? 'gm-upstream';
  return startMock((request, res, signal) => {
    const key = request.headers['x-goog-api-key'] ?? request.query.get('key');
    if (key !== apiKey)
      return googleError(res, 400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.');
    if (request.method === 'GET' && request.path === '/v1beta/models') {
      return sendJson(res, 200, {
        models: [
          { name: 'models/gemini-2.5-flash', supportedGenerationMethods: ['generateContent', 'countTokens'] },
        ],
      });
    }
    const match = /^\/v1beta\/models\/([^:]+):(\w+)$/.exec(request.path);
    if (request.method === 'POST' && match) {
      const [, model = '', method] = match;
      if (request.body === undefined)
        return googleError(res, 400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
      if (method === 'countTokens')
        return sendJson(res, 200, { totalTokens: Math.ceil(request.rawBody.length / 4) });
      if (method === 'generateContent' || method === 'streamGenerateContent')
        return generate(request, res, signal, model, method === 'streamGenerateContent');
    }
    return googleError(res, 404, 'NOT_FOUND', `Method not found: ${request.path}`);
  });
}
