import type { ServerResponse } from 'node:http';
import {
  countWords,
  limitWords,
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

export type { MockUpstream } from './common';

type Json = Record<string, unknown>;
type ChatMessage = { role?: unknown; content?: unknown; tool_calls?: unknown; tool_call_id?: unknown };

function openaiError(
  res: ServerResponse,
  status: number,
  message: string,
  param: string | null,
  code: string | null,
) {
  const type =
    status === 401
      ? 'invalid_request_error'
      : status === 404
        ? 'invalid_request_error'
        : 'invalid_request_error';
  sendJson(res, status, { error: { message, type, param, code } });
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) =>
        part && typeof part === 'object' && (part as Json).type === 'text' ? String((part as Json).text) : '',
      )
      .filter(Boolean)
      .join(' ');
  }
  return '';
}

/** What the real Chat Completions API refuses; returns an error message and param, or undefined. */
export function validateChat(body: unknown): { message: string; param: string | null } | undefined {
  if (!body || typeof body !== 'object')
    return { message: 'We could not parse the JSON body of your request.', param: null };
  const messages = (body as Json).messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return { message: "Missing required parameter: 'messages'.", param: 'messages' };
  }
  const open = new Set<string>();
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as ChatMessage;
    if (!['system', 'developer', 'user', 'assistant', 'tool'].includes(String(m.role))) {
      return {
        message: `Invalid value: '${String(m.role)}'. Supported values are: 'system', 'assistant', 'user', 'tool', and 'developer'.`,
        param: `messages[${i}].role`,
      };
    }
    if (m.role !== 'tool' && open.size > 0) {
      return {
        message:
          "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'.",
        param: 'messages',
      };
    }
    if (m.role === 'assistant' && Array.isArray(m.tool_calls)) {
      for (const call of m.tool_calls as Json[]) {
        const id = String(call.id ?? '');
        if (id.length > 40) {
          return {
            message: `Invalid 'messages[${i}].tool_calls[0].id': string too long. Expected a string with maximum length 40.`,
            param: `messages[${i}].tool_calls[0].id`,
          };
        }
        open.add(id);
      }
    }
    if (m.role === 'tool') {
      const id = String(m.tool_call_id ?? '');
      if (!open.has(id)) {
        return {
          message:
            "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          param: `messages[${i}].role`,
        };
      }
      open.delete(id);
    }
  }
  if (open.size > 0) {
    return {
      message:
        "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'.",
      param: 'messages',
    };
  }
  return undefined;
}

function decide(body: Json) {
  const messages = body.messages as ChatMessage[];
  const lastAssistant = messages.map((m) => m.role).lastIndexOf('assistant');
  const tail = messages.slice(lastAssistant + 1);
  const toolResults = tail.filter((m) => m.role === 'tool').map((m) => textOf(m.content));
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const tools = Array.isArray(body.tools) ? (body.tools as Json[]) : [];
  const firstTool = (tools[0]?.function as Json | undefined)?.name;
  return plan({
    toolResults: toolResults.length > 0 ? toolResults : undefined,
    firstTool: typeof firstTool === 'string' ? firstTool : undefined,
    lastUserText: textOf(lastUser?.content),
    thinking: typeof body.reasoning_effort === 'string',
  });
}

function chat(
  request: RecordedRequest,
  res: ServerResponse,
  signal: AbortSignal,
  models: string[] | undefined,
) {
  const body = request.body as Json;
  const invalid = validateChat(body);
  if (invalid) return openaiError(res, 400, invalid.message, invalid.param, null);
  const model = String(body.model ?? '');
  if (models && !models.includes(model)) {
    return openaiError(
      res,
      404,
      `The model \`${model}\` does not exist or you do not have access to it.`,
      null,
      'model_not_found',
    );
  }
  const decision = decide(body);
  const limit = (body.max_completion_tokens ?? body.max_tokens) as number | undefined;
  const id = `chatcmpl-${randomId()}`;
  const created = Math.floor(Date.now() / 1000);
  const promptTokens = Math.ceil(JSON.stringify(body.messages).length / 4);
  const reasoning = decision.thinking ? 'Thinking about it.' : undefined;
  const toolCalls =
    decision.kind === 'tools'
      ? decision.calls.map((args) => ({
          id: `call_${randomId()}`,
          type: 'function',
          function: { name: decision.name, arguments: JSON.stringify(args) },
        }))
      : undefined;
  const cut = decision.kind === 'text' ? limitWords(decision.text, limit) : { text: '', truncated: false };
  const completionTokens = decision.kind === 'text' ? countWords(cut.text) : 10 * (toolCalls?.length ?? 0);
  const finish = toolCalls ? 'tool_calls' : cut.truncated ? 'length' : 'stop';
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  };

  if (body.stream !== true) {
    return sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: toolCalls ? null : cut.text,
            ...(reasoning ? { reasoning_content: reasoning } : {}),
            ...(toolCalls ? { tool_calls: toolCalls } : {}),
          },
          finish_reason: finish,
        },
      ],
      usage,
    });
  }

  const streamOptions = body.stream_options as Json | undefined;
  // With include_usage, every chunk before the usage chunk carries "usage": null, as the real API's do.
  const nullUsage = streamOptions?.include_usage === true ? { usage: null } : {};
  const chunk = (delta: Json, finishReason: string | null = null) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...nullUsage })}\n\n`;
  const events = [chunk({ role: 'assistant', content: '' })];
  if (reasoning) events.push(chunk({ reasoning_content: reasoning }));
  if (toolCalls) {
    toolCalls.forEach((call, index) => {
      events.push(
        chunk({
          tool_calls: [
            { index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } },
          ],
        }),
      );
      for (const piece of splitInto(call.function.arguments, 3))
        events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    });
  } else for (const word of wordsOf(cut.text)) events.push(chunk({ content: word }));
  events.push(chunk({}, finish));
  if (streamOptions?.include_usage === true) {
    events.push(
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`,
    );
  }
  events.push('data: [DONE]\n\n');
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  return writeEvents(res, events, signal);
}

/** A mock of the OpenAI API (chat completions and models) that rejects what the real one rejects. */
export function startMockOpenAI(
  opts: { apiKey?: string; models?: string[]; acceptBearer?: (token: string) => boolean } = {},
): Promise<MockUpstream> {
  const apiKey = opts.apiKey ?? 'sk-upstream';
  const accepted = opts.acceptBearer ?? ((token: string) => token === apiKey);
  return startMock((request, res, signal) => {
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    if (!bearer || !accepted(bearer)) {
      return openaiError(
        res,
        401,
        'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
        null,
        'invalid_api_key',
      );
    }
    if (request.method === 'GET' && (request.path === '/v1/models' || request.path === '/models')) {
      const ids = opts.models ?? ['gpt-4o-mini', 'gpt-4o'];
      return sendJson(res, 200, {
        object: 'list',
        data: ids.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'openai' })),
      });
    }
    // Copilot's API serves the same shape without the /v1 prefix.
    if (
      request.method === 'POST' &&
      (request.path === '/v1/chat/completions' || request.path === '/chat/completions')
    ) {
      if (request.body === undefined)
        return openaiError(res, 400, 'We could not parse the JSON body of your request.', null, null);
      return chat(request, res, signal, opts.models);
    }
    return openaiError(res, 404, `Invalid URL (${request.method} ${request.path})`, null, null);
  });
}
