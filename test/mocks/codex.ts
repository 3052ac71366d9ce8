import type { ServerResponse } from 'node:http';
import {
  countWords,
  type MockUpstream,
  plan,
  type RecordedRequest,
  randomId,
  sendJson,
  splitInto,
  startMock,
  wordsOf,
  writeEvents,
} from './common';

type Json = Record<string, unknown>;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return Array.isArray(content) ? (content as Json[]).map((p) => String(p.text ?? '')).join(' ') : '';
}

function respond(request: RecordedRequest, res: ServerResponse, signal: AbortSignal) {
  const body = request.body as Json;
  if (body.stream !== true) return sendJson(res, 400, { detail: 'Stream must be set to true' });
  if (body.store !== false) return sendJson(res, 400, { detail: 'Store must be set to false' });
  const input = Array.isArray(body.input) ? (body.input as Json[]) : [];
  const lastCallIndex = input.map((i) => i.type).lastIndexOf('function_call');
  const outputs = input
    .slice(lastCallIndex + 1)
    .filter((i) => i.type === 'function_call_output')
    .map((i) => String(i.output));
  const lastUser = [...input].reverse().find((i) => (i.type ?? 'message') === 'message' && i.role === 'user');
  const tools = Array.isArray(body.tools) ? (body.tools as Json[]) : [];
  const decision = plan({
    toolResults: outputs.length > 0 ? outputs : undefined,
    firstTool: typeof tools[0]?.name === 'string' ? (tools[0].name as string) : undefined,
    lastUserText: textOf(lastUser?.content),
    thinking: false,
  });
  const id = `resp_${randomId()}`;
  const model = String(body.model);
  let seq = 0;
  const ev = (type: string, data: Json) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`;
  const base = { id, object: 'response', created_at: 1_700_000_000, model };
  const events = [ev('response.created', { response: { ...base, status: 'in_progress', output: [] } })];
  const output: Json[] = [];
  if (decision.kind === 'text') {
    const item = {
      type: 'message',
      id: `msg_${randomId()}`,
      role: 'assistant',
      status: 'in_progress',
      content: [],
    };
    events.push(ev('response.output_item.added', { output_index: 0, item }));
    events.push(
      ev('response.content_part.added', {
        item_id: item.id,
        output_index: 0,
        content_index: 0,
        part: { type: 'output_text', text: '' },
      }),
    );
    for (const word of wordsOf(decision.text))
      events.push(
        ev('response.output_text.delta', {
          item_id: item.id,
          output_index: 0,
          content_index: 0,
          delta: word,
        }),
      );
    const done = {
      ...item,
      status: 'completed',
      content: [{ type: 'output_text', text: decision.text, annotations: [] }],
    };
    events.push(ev('response.output_item.done', { output_index: 0, item: done }));
    output.push(done);
  } else {
    decision.calls.forEach((args, index) => {
      const item = {
        type: 'function_call',
        id: `fc_${randomId()}`,
        call_id: `call_${randomId()}`,
        name: decision.name,
        arguments: '',
        status: 'in_progress',
      };
      const json = JSON.stringify(args);
      events.push(ev('response.output_item.added', { output_index: index, item }));
      for (const piece of splitInto(json, 3))
        events.push(
          ev('response.function_call_arguments.delta', {
            item_id: item.id,
            output_index: index,
            delta: piece,
          }),
        );
      const done = { ...item, arguments: json, status: 'completed' };
      events.push(ev('response.output_item.done', { output_index: index, item: done }));
      output.push(done);
    });
  }
  const usage = {
    input_tokens: Math.ceil(JSON.stringify(input).length / 4),
    output_tokens: decision.kind === 'text' ? countWords(decision.text) : 10,
    total_tokens: 0,
  };
  usage.total_tokens = usage.input_tokens + usage.output_tokens;
  events.push(ev('response.completed', { response: { ...base, status: 'completed', output, usage } }));
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  return writeEvents(res, events, signal);
}

/** ChatGPT's Codex backend: Responses API under /backend-api/codex, streaming only, account header required. */
export function startMockCodex(opts: { acceptToken: (token: string) => boolean }): Promise<MockUpstream> {
  return startMock((request, res, signal) => {
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    if (!bearer || !opts.acceptToken(bearer)) return sendJson(res, 401, { detail: 'Unauthorized' });
    if (!request.headers['chatgpt-account-id'])
      return sendJson(res, 400, { detail: 'Missing chatgpt-account-id' });
    if (request.method === 'POST' && request.path === '/backend-api/codex/responses')
      return respond(request, res, signal);
    return sendJson(res, 404, { detail: 'Not Found' });
  });
}
