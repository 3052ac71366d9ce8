import { newResponseId, toOpenAIId } from '../ids';
import { FormatError, type IRResponse, type JsonObject, type Usage } from '../ir';
import { answerText, expectArray, expectObj, isObj, jsonText, type Obj } from '../json';
import { decodeStopReason, encodeStopReason } from '../stop-reasons';
import { reasoningText } from './stream';

export function decodeChatUsage(value: unknown): Usage {
  const u = isObj(value) ? value : {};
  const prompt = isObj(u.prompt_tokens_details) ? u.prompt_tokens_details : {};
  const completion = isObj(u.completion_tokens_details) ? u.completion_tokens_details : {};
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  return {
    inputTokens: num(u.prompt_tokens),
    outputTokens: num(u.completion_tokens),
    ...(typeof prompt.cached_tokens === 'number' && prompt.cached_tokens > 0
      ? { cachedInputTokens: prompt.cached_tokens }
      : {}),
    ...(typeof completion.reasoning_tokens === 'number' && completion.reasoning_tokens > 0
      ? { reasoningTokens: completion.reasoning_tokens }
      : {}),
  };
}

export function encodeChatUsage(usage: Usage): Obj {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
  };
}

export function decodeChatResponse(body: unknown): IRResponse {
  const b = expectObj(body, 'response');
  const choice = expectObj(expectArray(b.choices, 'choices')[0], 'choices[0]');
  const message = isObj(choice.message) ? choice.message : {};
  const content: IRResponse['content'] = [];
  const reasoning = reasoningText(message);
  if (reasoning) content.push({ type: 'thinking', text: reasoning });
  if (typeof message.content === 'string' && message.content)
    content.push({ type: 'text', text: message.content });
  if (typeof message.refusal === 'string' && message.refusal)
    content.push({ type: 'text', text: message.refusal });
  if (Array.isArray(message.tool_calls)) {
    for (const raw of message.tool_calls) {
      if (!isObj(raw) || !isObj(raw.function)) continue;
      content.push({
        type: 'tool_call',
        id: answerText(raw.id),
        name: answerText(raw.function.name),
        arguments: jsonText(raw.function.arguments) || '{}',
      });
    }
  }
  if (!isObj(choice)) throw new FormatError('choices[0] missing');
  return {
    id: answerText(b.id) || newResponseId('chatcmpl-'),
    model: answerText(b.model),
    created: typeof b.created === 'number' ? b.created : Math.floor(Date.now() / 1000),
    content,
    stopReason: decodeStopReason(
      'openai-chat',
      typeof choice.finish_reason === 'string' ? choice.finish_reason : 'stop',
    ),
    usage: decodeChatUsage(b.usage),
  };
}

export function encodeChatResponse(response: IRResponse, clientModel: string): JsonObject {
  const text = response.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
  const reasoning = response.content
    .flatMap((p) => (p.type === 'thinking' && !p.redacted ? [p.text] : []))
    .join('');
  const calls = response.content.flatMap((p) =>
    p.type === 'tool_call'
      ? [{ id: toOpenAIId(p.id), type: 'function', function: { name: p.name, arguments: p.arguments } }]
      : [],
  );
  return {
    id: response.id.startsWith('chatcmpl') ? response.id : `chatcmpl-${response.id}`,
    object: 'chat.completion',
    created: response.created,
    model: clientModel,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text === '' && calls.length > 0 ? null : text,
          ...(reasoning ? { reasoning_content: reasoning } : {}),
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
        finish_reason: encodeStopReason('openai-chat', calls.length > 0 ? 'tool_call' : response.stopReason),
      },
    ],
    usage: encodeChatUsage(response.usage),
  } as JsonObject;
}
