import { toAnthropicId } from '../ids';
import {
  type ContentPart,
  FormatError,
  type ImagePart,
  type IRRequest,
  type JsonObject,
  type Message,
  type TextPart,
  type ToolChoice,
} from '../ir';
import {
  argsObject,
  expectArray,
  expectObj,
  isObj,
  type Obj,
  optBool,
  optNumber,
  optString,
  optStringArray,
} from '../json';
import { budgetToEffort, effortToBudget } from '../reasoning';

/** Anthropic requires max_tokens; when the client gave none, a per-model default that fits every model. */
export function defaultMaxTokens(model: string): number {
  return /claude-3-(haiku|opus|sonnet)(?!-\d)|claude-3-haiku/.test(model) ? 4096 : 8192;
}

function decodeImage(block: Obj, param: string): ImagePart {
  const source = expectObj(block.source, `${param}.source`);
  if (source.type === 'base64') {
    return {
      type: 'image',
      source: {
        kind: 'base64',
        mediaType: optString(source.media_type, `${param}.source.media_type`) ?? 'image/png',
        data: optString(source.data, `${param}.source.data`) ?? '',
      },
    };
  }
  if (source.type === 'url')
    return {
      type: 'image',
      source: { kind: 'url', url: optString(source.url, `${param}.source.url`) ?? '' },
    };
  throw new FormatError(`${param}.source.type: expected base64 or url`, `${param}.source.type`);
}

function decodeBlocks(content: unknown, param: string, role: 'user' | 'assistant'): ContentPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return expectArray(content, param).flatMap((raw, i): ContentPart[] => {
    const block = expectObj(raw, `${param}[${i}]`);
    const at = `${param}[${i}]`;
    switch (block.type) {
      case 'text':
        return [{ type: 'text', text: optString(block.text, `${at}.text`) ?? '' }];
      case 'image':
        return [decodeImage(block, at)];
      case 'tool_use':
        return [
          {
            type: 'tool_call',
            id: optString(block.id, `${at}.id`) ?? '',
            name: optString(block.name, `${at}.name`) ?? '',
            arguments: JSON.stringify(isObj(block.input) ? block.input : {}),
          },
        ];
      case 'tool_result': {
        const inner =
          typeof block.content === 'string'
            ? block.content === ''
              ? []
              : [{ type: 'text' as const, text: block.content }]
            : block.content === undefined
              ? []
              : decodeBlocks(block.content, `${at}.content`, 'user').filter(
                  (p): p is TextPart | ImagePart => p.type === 'text' || p.type === 'image',
                );
        return [
          {
            type: 'tool_result',
            callId: optString(block.tool_use_id, `${at}.tool_use_id`) ?? '',
            content: inner,
            ...(block.is_error === true ? { isError: true } : {}),
          },
        ];
      }
      case 'thinking':
        return [
          {
            type: 'thinking',
            text: optString(block.thinking, `${at}.thinking`) ?? '',
            ...(typeof block.signature === 'string' ? { signature: block.signature } : {}),
          },
        ];
      case 'redacted_thinking':
        return [{ type: 'thinking', text: '', redacted: optString(block.data, `${at}.data`) ?? '' }];
      case 'document':
      case 'search_result':
        throw new FormatError(
          `${at}.type: ${block.type} blocks are not supported by this proxy`,
          `${at}.type`,
        );
      default:
        if (role === 'assistant' && typeof block.type === 'string' && block.type.startsWith('server_tool')) {
          throw new FormatError(`${at}.type: server tools are not supported`, `${at}.type`);
        }
        throw new FormatError(
          `${at}.type: unknown content block ${JSON.stringify(block.type)}`,
          `${at}.type`,
        );
    }
  });
}

function decodeToolChoice(value: unknown): { choice?: ToolChoice; parallel?: boolean } {
  if (value === undefined || value === null) return {};
  const tc = expectObj(value, 'tool_choice');
  const parallel = tc.disable_parallel_tool_use === true ? { parallel: false } : {};
  if (tc.type === 'auto') return { choice: { type: 'auto' }, ...parallel };
  if (tc.type === 'any') return { choice: { type: 'required' }, ...parallel };
  if (tc.type === 'none') return { choice: { type: 'none' } };
  if (tc.type === 'tool' && typeof tc.name === 'string')
    return { choice: { type: 'tool', name: tc.name }, ...parallel };
  throw new FormatError('tool_choice.type: expected auto, any, tool or none', 'tool_choice.type');
}

export function decodeClaudeRequest(body: unknown): IRRequest {
  const b = expectObj(body, 'body');
  const system: TextPart[] =
    typeof b.system === 'string'
      ? b.system
        ? [{ type: 'text', text: b.system }]
        : []
      : b.system === undefined
        ? []
        : expectArray(b.system, 'system').map((raw, i) => ({
            type: 'text' as const,
            text: optString(expectObj(raw, `system[${i}]`).text, `system[${i}].text`) ?? '',
          }));
  const messages: Message[] = expectArray(b.messages, 'messages').map((raw, i) => {
    const m = expectObj(raw, `messages[${i}]`);
    if (m.role !== 'user' && m.role !== 'assistant') {
      throw new FormatError(
        `messages[${i}].role: must be user or assistant (system goes in the top-level system field)`,
        `messages[${i}].role`,
      );
    }
    return { role: m.role, content: decodeBlocks(m.content, `messages[${i}].content`, m.role) };
  });
  const tools =
    b.tools === undefined
      ? []
      : expectArray(b.tools, 'tools').map((raw, i) => {
          const t = expectObj(raw, `tools[${i}]`);
          if (t.type !== undefined && t.type !== 'custom') {
            throw new FormatError(
              `tools[${i}].type: server tool ${JSON.stringify(t.type)} is not supported by this proxy`,
              `tools[${i}].type`,
            );
          }
          const description = optString(t.description, `tools[${i}].description`);
          return {
            name: optString(t.name, `tools[${i}].name`) ?? '',
            ...(description ? { description } : {}),
            parameters: (isObj(t.input_schema)
              ? t.input_schema
              : { type: 'object', properties: {} }) as JsonObject,
          };
        });
  const { choice, parallel } = decodeToolChoice(b.tool_choice);
  const thinking = isObj(b.thinking) ? b.thinking : undefined;
  const budget =
    thinking?.type === 'enabled' ? optNumber(thinking.budget_tokens, 'thinking.budget_tokens') : undefined;
  const maxTokens = optNumber(b.max_tokens, 'max_tokens');
  const temperature = optNumber(b.temperature, 'temperature');
  const topP = optNumber(b.top_p, 'top_p');
  const topK = optNumber(b.top_k, 'top_k');
  const stop = optStringArray(b.stop_sequences, 'stop_sequences');
  const user = isObj(b.metadata) ? optString(b.metadata.user_id, 'metadata.user_id') : undefined;
  optBool(b.stream, 'stream');
  return {
    model: optString(b.model, 'model') ?? '',
    system,
    messages,
    tools,
    stream: b.stream === true,
    ...(choice ? { toolChoice: choice } : {}),
    ...(parallel !== undefined ? { parallelToolCalls: parallel } : {}),
    ...(maxTokens !== undefined ? { maxOutputTokens: maxTokens } : {}),
    ...(temperature !== undefined ? { temperature } : {}),
    ...(topP !== undefined ? { topP } : {}),
    ...(topK !== undefined ? { topK } : {}),
    ...(stop && stop.length > 0 ? { stop } : {}),
    ...(thinking?.type === 'enabled' && budget !== undefined
      ? { reasoning: { budgetTokens: budget, effort: budgetToEffort(budget) } }
      : {}),
    ...(thinking?.type === 'disabled' ? { reasoning: { enabled: false } } : {}),
    ...(user ? { user } : {}),
  };
}

function encodeImage(part: ImagePart): Obj {
  return part.source.kind === 'url'
    ? { type: 'image', source: { type: 'url', url: part.source.url } }
    : {
        type: 'image',
        source: { type: 'base64', media_type: part.source.mediaType, data: part.source.data },
      };
}

function encodeBlock(part: ContentPart, role: 'user' | 'assistant'): Obj[] {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [{ type: 'text', text: part.text }];
    case 'image':
      return [encodeImage(part)];
    case 'tool_call':
      return [
        { type: 'tool_use', id: toAnthropicId(part.id), name: part.name, input: argsObject(part.arguments) },
      ];
    case 'tool_result': {
      const content = part.content.flatMap((c) =>
        c.type === 'text' ? (c.text ? [{ type: 'text', text: c.text }] : []) : [encodeImage(c)],
      );
      return [
        {
          type: 'tool_result',
          tool_use_id: toAnthropicId(part.callId),
          ...(content.length > 0 ? { content } : {}),
          ...(part.isError ? { is_error: true } : {}),
        },
      ];
    }
    case 'thinking':
      // Only signed thinking may go back to Anthropic; reasoning from other formats has no signature.
      if (role !== 'assistant') return [];
      if (part.redacted) return [{ type: 'redacted_thinking', data: part.redacted }];
      return part.signature ? [{ type: 'thinking', thinking: part.text, signature: part.signature }] : [];
  }
}

export function encodeClaudeRequest(ir: IRRequest): JsonObject {
  const messages: Array<{ role: 'user' | 'assistant'; content: Obj[] }> = [];
  for (const message of ir.messages) {
    let blocks = message.content.flatMap((p) => encodeBlock(p, message.role));
    // tool_result blocks must come first in their user message.
    if (message.role === 'user')
      blocks = [
        ...blocks.filter((b) => b.type === 'tool_result'),
        ...blocks.filter((b) => b.type !== 'tool_result'),
      ];
    if (blocks.length === 0) continue;
    const last = messages.at(-1);
    if (last && last.role === message.role) {
      last.content.push(...blocks);
      if (message.role === 'user')
        last.content.sort((a, b) => Number(b.type === 'tool_result') - Number(a.type === 'tool_result'));
    } else messages.push({ role: message.role, content: blocks });
  }
  const thinkingOn = ir.reasoning !== undefined && ir.reasoning.enabled !== false;
  const budget = thinkingOn
    ? Math.max(1024, ir.reasoning?.budgetTokens ?? effortToBudget(ir.reasoning?.effort ?? 'medium'))
    : 0;
  let maxTokens = ir.maxOutputTokens ?? defaultMaxTokens(ir.model);
  if (thinkingOn && maxTokens <= budget) maxTokens = budget + Math.max(1024, ir.maxOutputTokens ?? 4096);
  if (thinkingOn && (ir.toolChoice?.type === 'required' || ir.toolChoice?.type === 'tool')) {
    throw new FormatError(
      'tool_choice: Anthropic cannot force a tool while extended thinking is on; use auto or turn reasoning off',
      'tool_choice',
    );
  }
  const body: Obj = { model: ir.model, max_tokens: maxTokens, messages };
  const system = ir.system.map((p) => ({ type: 'text', text: p.text }));
  // JSON mode has no Anthropic switch; the instruction is the documented way to ask for it.
  if (ir.responseFormat?.type === 'json_object')
    system.push({ type: 'text', text: 'Respond with a single valid JSON object and nothing else.' });
  if (system.length > 0) body.system = system;
  if (ir.tools.length > 0) {
    body.tools = ir.tools.map((t) => ({
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      input_schema: t.parameters,
    }));
  }
  if (ir.toolChoice && ir.tools.length > 0) {
    const disable = ir.parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
    const tc = ir.toolChoice;
    body.tool_choice =
      tc.type === 'auto'
        ? { type: 'auto', ...disable }
        : tc.type === 'none'
          ? { type: 'none' }
          : tc.type === 'required'
            ? { type: 'any', ...disable }
            : { type: 'tool', name: tc.name, ...disable };
  } else if (ir.parallelToolCalls === false && ir.tools.length > 0)
    body.tool_choice = { type: 'auto', disable_parallel_tool_use: true };
  if (thinkingOn) body.thinking = { type: 'enabled', budget_tokens: budget };
  else {
    // Anthropic's temperature range is 0–1 where OpenAI's is 0–2: clamp instead of failing the request.
    if (ir.temperature !== undefined) body.temperature = Math.min(1, Math.max(0, ir.temperature));
    if (ir.topP !== undefined) body.top_p = ir.topP;
    if (ir.topK !== undefined) body.top_k = ir.topK;
  }
  if (ir.stop) body.stop_sequences = ir.stop;
  if (ir.user) body.metadata = { user_id: ir.user };
  if (ir.responseFormat?.type === 'json_schema') {
    throw new FormatError(
      'response_format: Anthropic has no JSON-schema output mode; describe the format in the prompt or use a tool',
      'response_format',
    );
  }
  if (ir.stream) body.stream = true;
  return body as JsonObject;
}
