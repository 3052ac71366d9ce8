import { newResponseId, toAnthropicId } from '../ids';
import type { IRResponse, JsonObject, Usage } from '../ir';
import { answerText, expectArray, expectObj, isObj, jsonText, type Obj } from '../json';
import { decodeStopReason, encodeStopReason } from '../stop-reasons';

/** Anthropic counts cache reads and writes apart from input_tokens; the IR counts them inside. */
export function decodeClaudeUsage(value: unknown, previous?: Usage): Usage {
  const u = isObj(value) ? value : {};
  const num = (v: unknown, fallback = 0) => (typeof v === 'number' ? v : fallback);
  const read = num(u.cache_read_input_tokens, previous?.cachedInputTokens ?? 0);
  const created = num(u.cache_creation_input_tokens, previous?.cacheCreationInputTokens ?? 0);
  const baseInput =
    typeof u.input_tokens === 'number'
      ? u.input_tokens
      : (previous?.inputTokens ?? 0) -
        (previous?.cachedInputTokens ?? 0) -
        (previous?.cacheCreationInputTokens ?? 0);
  return {
    inputTokens: baseInput + read + created,
    outputTokens: num(u.output_tokens, previous?.outputTokens ?? 0),
    ...(read > 0 ? { cachedInputTokens: read } : {}),
    ...(created > 0 ? { cacheCreationInputTokens: created } : {}),
  };
}

export function encodeClaudeUsage(usage: Usage): Obj {
  const read = usage.cachedInputTokens ?? 0;
  const created = usage.cacheCreationInputTokens ?? 0;
  return {
    input_tokens: Math.max(0, usage.inputTokens - read - created),
    output_tokens: usage.outputTokens,
    cache_creation_input_tokens: created,
    cache_read_input_tokens: read,
  };
}

export function decodeClaudeResponse(body: unknown): IRResponse {
  const b = expectObj(body, 'response');
  const content: IRResponse['content'] = [];
  for (const raw of expectArray(b.content ?? [], 'content')) {
    if (!isObj(raw)) continue;
    if (raw.type === 'text') content.push({ type: 'text', text: answerText(raw.text) });
    else if (raw.type === 'tool_use') {
      content.push({
        type: 'tool_call',
        id: answerText(raw.id),
        name: answerText(raw.name),
        arguments: jsonText(raw.input) || '{}',
      });
    } else if (raw.type === 'thinking') {
      content.push({
        type: 'thinking',
        text: answerText(raw.thinking),
        ...(typeof raw.signature === 'string' ? { signature: raw.signature } : {}),
      });
    } else if (raw.type === 'redacted_thinking')
      content.push({ type: 'thinking', text: '', redacted: answerText(raw.data) });
  }
  return {
    id: answerText(b.id) || newResponseId('msg_'),
    model: answerText(b.model),
    created: Math.floor(Date.now() / 1000),
    content,
    stopReason: decodeStopReason('claude', typeof b.stop_reason === 'string' ? b.stop_reason : 'end_turn'),
    ...(typeof b.stop_sequence === 'string' ? { stopSequence: b.stop_sequence } : {}),
    usage: decodeClaudeUsage(b.usage),
  };
}

export function encodeClaudeResponse(response: IRResponse, clientModel: string): JsonObject {
  const content = response.content.map((p) => {
    if (p.type === 'text') return { type: 'text', text: p.text };
    if (p.type === 'tool_call') {
      let input: unknown = {};
      try {
        input = JSON.parse(p.arguments || '{}');
      } catch {
        input = {};
      }
      return { type: 'tool_use', id: toAnthropicId(p.id), name: p.name, input: isObj(input) ? input : {} };
    }
    if (p.redacted) return { type: 'redacted_thinking', data: p.redacted };
    return { type: 'thinking', thinking: p.text, signature: p.signature ?? '' };
  });
  const hasTool = response.content.some((p) => p.type === 'tool_call');
  return {
    id: response.id.startsWith('msg_') ? response.id : `msg_${response.id.replace(/[^a-zA-Z0-9]/g, '')}`,
    type: 'message',
    role: 'assistant',
    model: clientModel,
    content,
    stop_reason: encodeStopReason(
      'claude',
      hasTool && response.stopReason === 'end' ? 'tool_call' : response.stopReason,
    ),
    stop_sequence: response.stopSequence ?? null,
    usage: encodeClaudeUsage(response.usage),
  } as unknown as JsonObject;
}
