import { newResponseId, toOpenAIId } from '../ids';
import type { IRResponse, JsonObject, StopReason, Usage } from '../ir';
import { answerText, expectObj, isObj, jsonText, type Obj } from '../json';

export function decodeResponsesUsage(value: unknown): Usage {
  const u = isObj(value) ? value : {};
  const inDetails = isObj(u.input_tokens_details) ? u.input_tokens_details : {};
  const outDetails = isObj(u.output_tokens_details) ? u.output_tokens_details : {};
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  return {
    inputTokens: num(u.input_tokens),
    outputTokens: num(u.output_tokens),
    ...(num(inDetails.cached_tokens) > 0 ? { cachedInputTokens: num(inDetails.cached_tokens) } : {}),
    ...(num(outDetails.reasoning_tokens) > 0 ? { reasoningTokens: num(outDetails.reasoning_tokens) } : {}),
  };
}

export function encodeResponsesUsage(usage: Usage): Obj {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

export function stopFromStatus(status: unknown, incomplete: unknown, hasCalls: boolean): StopReason {
  if (status === 'incomplete') {
    const reason = isObj(incomplete) ? incomplete.reason : undefined;
    return reason === 'content_filter' ? 'content_filter' : 'max_tokens';
  }
  return hasCalls ? 'tool_call' : 'end';
}

/** Output items → IR content. */
export function decodeOutput(output: unknown): IRResponse['content'] {
  const content: IRResponse['content'] = [];
  if (!Array.isArray(output)) return content;
  for (const item of output) {
    if (!isObj(item)) continue;
    if (item.type === 'message' && Array.isArray(item.content)) {
      const text = item.content
        .map((c) =>
          isObj(c) && (c.type === 'output_text' || c.type === 'refusal')
            ? answerText(c.text, answerText(c.refusal))
            : '',
        )
        .join('');
      if (text) content.push({ type: 'text', text });
    } else if (item.type === 'function_call') {
      content.push({
        type: 'tool_call',
        id: answerText(item.call_id, answerText(item.id)),
        name: answerText(item.name),
        arguments: jsonText(item.arguments) || '{}',
      });
    } else if (item.type === 'reasoning') {
      const text = Array.isArray(item.summary)
        ? item.summary.map((s) => (isObj(s) ? answerText(s.text) : '')).join('\n')
        : '';
      const signature = typeof item.encrypted_content === 'string' ? item.encrypted_content : undefined;
      if (text || signature) content.push({ type: 'thinking', text, ...(signature ? { signature } : {}) });
    }
  }
  return content;
}

export function decodeResponsesResponse(body: unknown): IRResponse {
  const b = expectObj(body, 'response');
  const content = decodeOutput(b.output);
  return {
    id: answerText(b.id) || newResponseId('resp_'),
    model: answerText(b.model),
    created: typeof b.created_at === 'number' ? b.created_at : Math.floor(Date.now() / 1000),
    content,
    stopReason: stopFromStatus(
      b.status,
      b.incomplete_details,
      content.some((p) => p.type === 'tool_call'),
    ),
    usage: decodeResponsesUsage(b.usage),
  };
}

let counter = 0;
export function itemId(prefix: string): string {
  counter = (counter + 1) % 1_000_000;
  return `${prefix}_${Date.now().toString(36)}${counter.toString(36)}`;
}

export function messageItem(id: string, text: string, status: 'in_progress' | 'completed'): Obj {
  return {
    type: 'message',
    id,
    status,
    role: 'assistant',
    content: status === 'completed' || text ? [{ type: 'output_text', text, annotations: [] }] : [],
  };
}

export function callItem(
  id: string,
  callId: string,
  name: string,
  args: string,
  status: 'in_progress' | 'completed',
): Obj {
  return { type: 'function_call', id, call_id: toOpenAIId(callId), name, arguments: args, status };
}

export function reasoningItem(id: string, text: string, signature?: string): Obj {
  return {
    type: 'reasoning',
    id,
    summary: text ? [{ type: 'summary_text', text }] : [],
    ...(signature ? { encrypted_content: signature } : {}),
  };
}

/** The response object shared by the non-stream answer and the stream's created/completed events. */
export function responseObject(opts: {
  id: string;
  created: number;
  model: string;
  status: 'in_progress' | 'completed' | 'incomplete' | 'failed';
  output: Obj[];
  stopReason?: StopReason;
  usage?: Usage;
  error?: { code: string; message: string };
}): Obj {
  return {
    id: opts.id,
    object: 'response',
    created_at: opts.created,
    status: opts.status,
    error: opts.error ?? null,
    incomplete_details:
      opts.status === 'incomplete'
        ? { reason: opts.stopReason === 'content_filter' ? 'content_filter' : 'max_output_tokens' }
        : null,
    model: opts.model,
    output: opts.output,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage: opts.usage ? encodeResponsesUsage(opts.usage) : null,
  };
}

export function encodeResponsesResponse(response: IRResponse, clientModel: string): JsonObject {
  const output = response.content.map((p) =>
    p.type === 'text'
      ? messageItem(itemId('msg'), p.text, 'completed')
      : p.type === 'tool_call'
        ? callItem(itemId('fc'), p.id, p.name, p.arguments, 'completed')
        : reasoningItem(itemId('rs'), p.text, p.signature),
  );
  const incomplete = response.stopReason === 'max_tokens' || response.stopReason === 'content_filter';
  return responseObject({
    id: response.id.startsWith('resp_') ? response.id : `resp_${response.id.replace(/[^a-zA-Z0-9]/g, '')}`,
    created: response.created,
    model: clientModel,
    status: incomplete ? 'incomplete' : 'completed',
    output,
    stopReason: response.stopReason,
    usage: response.usage,
  }) as JsonObject;
}
