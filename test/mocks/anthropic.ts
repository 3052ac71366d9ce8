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

type Json = Record<string, unknown>;

function anthropicError(res: ServerResponse, status: number, type: string, message: string) {
  sendJson(res, status, { type: 'error', error: { type, message } });
}

function blocksOf(content: unknown): Json[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? (content as Json[]) : [];
}

/** What the real Messages API refuses. */
export function validateMessages(body: Json): string | undefined {
  if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    return 'messages: at least one message is required';
  if (typeof body.temperature === 'number' && (body.temperature < 0 || body.temperature > 1))
    return 'temperature: must be between 0 and 1';
  const thinking = body.thinking as Json | undefined;
  if (thinking?.type === 'enabled') {
    if (typeof thinking.budget_tokens !== 'number' || thinking.budget_tokens >= (body.max_tokens as number)) {
      return '`max_tokens` must be greater than `thinking.budget_tokens`';
    }
    const tc = body.tool_choice as Json | undefined;
    if (tc && (tc.type === 'any' || tc.type === 'tool'))
      return 'Thinking may not be enabled when tool_choice forces tool use.';
  }
  const messages = body.messages as Json[];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as Json;
    if (m.role !== 'user' && m.role !== 'assistant')
      return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    const blocks = blocksOf(m.content);
    for (const b of blocks) {
      if (b.type === 'text' && (typeof b.text !== 'string' || b.text === ''))
        return `messages.${i}: text content blocks must be non-empty`;
      if (b.type === 'tool_use') {
        if (!/^[a-zA-Z0-9_-]+$/.test(String(b.id)))
          return `messages.${i}: tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'`;
        if (typeof b.input !== 'object' || b.input === null || Array.isArray(b.input))
          return `messages.${i}: tool_use.input: Input should be a valid dictionary`;
      }
    }
    const uses = blocks.filter((b) => b.type === 'tool_use').map((b) => String(b.id));
    if (m.role === 'assistant' && uses.length > 0) {
      const next = messages[i + 1] as Json | undefined;
      const results = next
        ? blocksOf(next.content)
            .filter((b) => b.type === 'tool_result')
            .map((b) => String(b.tool_use_id))
        : [];
      const missing = uses.filter((id) => !results.includes(id));
      if (missing.length > 0) {
        return `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
      }
    }
    if (m.role === 'user') {
      const results = blocks.filter((b) => b.type === 'tool_result').map((b) => String(b.tool_use_id));
      const prev = messages[i - 1] as Json | undefined;
      const prevUses =
        prev && prev.role === 'assistant'
          ? blocksOf(prev.content)
              .filter((b) => b.type === 'tool_use')
              .map((b) => String(b.id))
          : [];
      const orphan = results.find((id) => !prevUses.includes(id));
      if (orphan)
        return `messages.${i}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${orphan}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
    }
  }
  return undefined;
}

function textOf(blocks: Json[]): string {
  return blocks.flatMap((b) => (b.type === 'text' ? [String(b.text)] : [])).join(' ');
}

function resultText(block: Json): string {
  return typeof block.content === 'string' ? block.content : textOf(blocksOf(block.content));
}

function messages(request: RecordedRequest, res: ServerResponse, signal: AbortSignal) {
  const body = request.body as Json;
  const invalid = validateMessages(body);
  if (invalid) return anthropicError(res, 400, 'invalid_request_error', invalid);
  const list = body.messages as Json[];
  const last = list.at(-1) as Json;
  const lastBlocks = blocksOf(last.content);
  const results =
    last.role === 'user' ? lastBlocks.filter((b) => b.type === 'tool_result').map(resultText) : [];
  const lastUser = [...list].reverse().find((m) => m.role === 'user' && textOf(blocksOf(m.content)) !== '');
  const tools = Array.isArray(body.tools) ? (body.tools as Json[]) : [];
  const decision = plan({
    toolResults: results.length > 0 ? results : undefined,
    firstTool: typeof tools[0]?.name === 'string' ? (tools[0].name as string) : undefined,
    lastUserText: lastUser ? textOf(blocksOf(lastUser.content)) : '',
    thinking: (body.thinking as Json | undefined)?.type === 'enabled',
  });
  const model = String(body.model);
  const id = `msg_${randomId()}`;
  const inputTokens = Math.ceil(JSON.stringify(list).length / 4);
  const cut =
    decision.kind === 'text'
      ? limitWords(decision.text, body.max_tokens as number)
      : { text: '', truncated: false };
  const uses =
    decision.kind === 'tools'
      ? decision.calls.map((args) => ({
          type: 'tool_use',
          id: `toolu_${randomId()}`,
          name: decision.name,
          input: args,
        }))
      : [];
  const content: Json[] = [];
  if (decision.thinking)
    content.push({ type: 'thinking', thinking: 'Thinking about it.', signature: `sig_${randomId()}` });
  if (decision.kind === 'text') content.push({ type: 'text', text: cut.text });
  content.push(...uses);
  const stop = uses.length > 0 ? 'tool_use' : cut.truncated ? 'max_tokens' : 'end_turn';
  const outputTokens = decision.kind === 'text' ? countWords(cut.text) : 10 * uses.length;
  const usage = {
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
  if (body.stream !== true) {
    return sendJson(res, 200, {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content,
      stop_reason: stop,
      stop_sequence: null,
      usage,
    });
  }
  const ev = (type: string, data: Json) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const events = [
    ev('message_start', {
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    }),
    ev('ping', {}),
  ];
  content.forEach((block, index) => {
    if (block.type === 'thinking') {
      events.push(ev('content_block_start', { index, content_block: { type: 'thinking', thinking: '' } }));
      events.push(
        ev('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: block.thinking } }),
      );
      events.push(
        ev('content_block_delta', { index, delta: { type: 'signature_delta', signature: block.signature } }),
      );
    } else if (block.type === 'text') {
      events.push(ev('content_block_start', { index, content_block: { type: 'text', text: '' } }));
      for (const word of wordsOf(String(block.text)))
        events.push(ev('content_block_delta', { index, delta: { type: 'text_delta', text: word } }));
    } else {
      events.push(
        ev('content_block_start', {
          index,
          content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
        }),
      );
      for (const piece of splitInto(JSON.stringify(block.input), 3))
        events.push(
          ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } }),
        );
    }
    events.push(ev('content_block_stop', { index }));
  });
  events.push(
    ev('message_delta', {
      delta: { stop_reason: stop, stop_sequence: null },
      usage: { output_tokens: outputTokens },
    }),
  );
  events.push(ev('message_stop', {}));
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  return writeEvents(res, events, signal);
}

/** A mock of Anthropic's Messages API that rejects what the real one rejects. */
export function startMockAnthropic(
  opts: { apiKey?: string; oauthToken?: (token: string) => boolean } = {},
): Promise<MockUpstream> {
  const apiKey = opts.apiKey ?? 'sk-ant-upstream';
  return startMock((request, res, signal) => {
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    const keyOk =
      request.headers['x-api-key'] === apiKey || (bearer !== undefined && opts.oauthToken?.(bearer) === true);
    if (!keyOk) return anthropicError(res, 401, 'authentication_error', 'invalid x-api-key');
    // Subscription (OAuth) tokens are refused unless the request carries the OAuth beta flag.
    if (
      bearer !== undefined &&
      !String(request.headers['anthropic-beta'] ?? '').includes('oauth-2025-04-20')
    ) {
      return anthropicError(
        res,
        401,
        'authentication_error',
        'OAuth authentication is currently not supported.',
      );
    }
    if (!request.headers['anthropic-version'])
      return anthropicError(res, 400, 'invalid_request_error', 'anthropic-version: header is required');
    if (request.method === 'GET' && request.path === '/api/oauth/usage') {
      if (bearer === undefined)
        return anthropicError(res, 401, 'authentication_error', 'OAuth token required');
      return sendJson(res, 200, {
        five_hour: { utilization: 25, resets_at: '2030-01-01T05:00:00+00:00' },
        seven_day: { utilization: 7.5, resets_at: '2030-01-06T00:00:00+00:00' },
        extra_usage: { is_enabled: false, monthly_limit: null, used_credits: null, utilization: null },
      });
    }
    if (request.method === 'GET' && request.path === '/v1/models') {
      return sendJson(res, 200, {
        data: [
          {
            type: 'model',
            id: 'claude-sonnet-4-5',
            display_name: 'Claude Sonnet 4.5',
            created_at: '2025-09-29T00:00:00Z',
          },
        ],
        has_more: false,
      });
    }
    if (request.method === 'POST' && request.path === '/v1/messages') {
      if (request.body === undefined)
        return anthropicError(res, 400, 'invalid_request_error', 'There was an issue with the JSON body');
      return messages(request, res, signal);
    }
    return anthropicError(res, 404, 'not_found_error', `Not found: ${request.path}`);
  });
}
