import { toOpenAIId } from '../ids';
import {
  type ContentPart,
  FormatError,
  type ImagePart,
  type IRRequest,
  type JsonObject,
  type Message,
  type TextPart,
  type ToolChoice,
  type ToolDefinition,
} from '../ir';
import {
  asJsonObject,
  expectArray,
  expectObj,
  isObj,
  type Obj,
  optBool,
  optNumber,
  optString,
  optStringArray,
  parseDataUrl,
} from '../json';
import { budgetToEffort, effortToBudget, isEffort } from '../reasoning';

/** Fields that would change the answer and that no other format can carry. */
const UNSUPPORTED = [
  'logprobs',
  'top_logprobs',
  'audio',
  'prediction',
  'functions',
  'function_call',
  'logit_bias',
];

function decodeParts(content: unknown, param: string): Array<TextPart | ImagePart> {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (content === null || content === undefined) return [];
  return expectArray(content, param).flatMap((raw, i): Array<TextPart | ImagePart> => {
    const part = expectObj(raw, `${param}[${i}]`);
    if (part.type === 'text')
      return [{ type: 'text', text: optString(part.text, `${param}[${i}].text`) ?? '' }];
    if (part.type === 'image_url') {
      const image = isObj(part.image_url) ? part.image_url : { url: part.image_url };
      const url = optString(image.url, `${param}[${i}].image_url.url`) ?? '';
      const inline = parseDataUrl(url);
      return [{ type: 'image', source: inline ? { kind: 'base64', ...inline } : { kind: 'url', url } }];
    }
    if (part.type === 'refusal')
      return [{ type: 'text', text: optString(part.refusal, `${param}[${i}].refusal`) ?? '' }];
    throw new FormatError(
      `${param}[${i}].type: ${JSON.stringify(part.type)} parts are not supported`,
      `${param}[${i}].type`,
    );
  });
}

function textOf(parts: Array<TextPart | ImagePart>): string {
  return parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

function decodeToolChoice(value: unknown): ToolChoice | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'auto' || value === 'none' || value === 'required') return { type: value };
  if (
    isObj(value) &&
    value.type === 'function' &&
    isObj(value.function) &&
    typeof value.function.name === 'string'
  ) {
    return { type: 'tool', name: value.function.name };
  }
  throw new FormatError(
    'tool_choice: expected auto, none, required or {type: function, function: {name}}',
    'tool_choice',
  );
}

function decodeTools(value: unknown): ToolDefinition[] {
  if (value === undefined || value === null) return [];
  return expectArray(value, 'tools').map((raw, i) => {
    const tool = expectObj(raw, `tools[${i}]`);
    if (tool.type !== 'function')
      throw new FormatError(`tools[${i}].type: only function tools are supported`, `tools[${i}].type`);
    const fn = expectObj(tool.function, `tools[${i}].function`);
    const name = optString(fn.name, `tools[${i}].function.name`);
    if (!name) throw new FormatError(`tools[${i}].function.name is required`, `tools[${i}].function.name`);
    const description = optString(fn.description, `tools[${i}].function.description`);
    const strict = optBool(fn.strict, `tools[${i}].function.strict`);
    return {
      name,
      ...(description ? { description } : {}),
      parameters: isObj(fn.parameters) ? (fn.parameters as JsonObject) : { type: 'object', properties: {} },
      ...(strict !== undefined ? { strict } : {}),
    };
  });
}

export function decodeChatRequest(body: unknown): IRRequest {
  const b = expectObj(body, 'body');
  for (const field of UNSUPPORTED) {
    if (b[field] !== undefined && b[field] !== null && b[field] !== false) {
      throw new FormatError(
        `${field} is not supported by this proxy (it cannot be carried to every upstream)`,
        field,
      );
    }
  }
  const n = optNumber(b.n, 'n');
  if (n !== undefined && n !== 1) throw new FormatError('n: only one choice per request is supported', 'n');
  if (Array.isArray(b.modalities) && b.modalities.some((m) => m !== 'text')) {
    throw new FormatError('modalities: only text output is supported', 'modalities');
  }
  const system: TextPart[] = [];
  const messages: Message[] = [];
  const push = (role: Message['role'], content: ContentPart[]) => {
    if (content.length === 0) return;
    const last = messages.at(-1);
    // Consecutive user-side content (tool results, then a user turn) becomes one message.
    if (last && last.role === role) last.content.push(...content);
    else messages.push({ role, content });
  };
  expectArray(b.messages, 'messages').forEach((raw, i) => {
    const m = expectObj(raw, `messages[${i}]`);
    const param = `messages[${i}].content`;
    switch (m.role) {
      case 'system':
      case 'developer': {
        const text = textOf(decodeParts(m.content, param));
        if (text) system.push({ type: 'text', text });
        return;
      }
      case 'user':
        push('user', decodeParts(m.content, param));
        return;
      case 'assistant': {
        const content: ContentPart[] = [];
        const reasoning = optString(m.reasoning_content, `messages[${i}].reasoning_content`);
        if (reasoning) content.push({ type: 'thinking', text: reasoning });
        content.push(...decodeParts(m.content, param));
        if (m.tool_calls !== undefined && m.tool_calls !== null) {
          expectArray(m.tool_calls, `messages[${i}].tool_calls`).forEach((rawCall, j) => {
            const call = expectObj(rawCall, `messages[${i}].tool_calls[${j}]`);
            const fn = expectObj(call.function, `messages[${i}].tool_calls[${j}].function`);
            content.push({
              type: 'tool_call',
              id: optString(call.id, `messages[${i}].tool_calls[${j}].id`) ?? `call_${i}_${j}`,
              name: optString(fn.name, `messages[${i}].tool_calls[${j}].function.name`) ?? '',
              arguments:
                optString(fn.arguments, `messages[${i}].tool_calls[${j}].function.arguments`) ?? '{}',
            });
          });
        }
        push('assistant', content);
        return;
      }
      case 'tool': {
        const callId = optString(m.tool_call_id, `messages[${i}].tool_call_id`);
        if (!callId)
          throw new FormatError(
            `messages[${i}].tool_call_id is required for tool messages`,
            `messages[${i}].tool_call_id`,
          );
        push('user', [{ type: 'tool_result', callId, content: decodeParts(m.content, param) }]);
        return;
      }
      default:
        throw new FormatError(
          `messages[${i}].role: ${JSON.stringify(m.role)} is not one of system, developer, user, assistant, tool`,
          `messages[${i}].role`,
        );
    }
  });
  if (messages.length === 0)
    throw new FormatError('messages: at least one user or assistant message is required', 'messages');

  const stop = typeof b.stop === 'string' ? [b.stop] : optStringArray(b.stop, 'stop');
  const effort = b.reasoning_effort;
  if (effort !== undefined && effort !== null && !isEffort(effort) && effort !== 'none') {
    throw new FormatError('reasoning_effort: expected minimal, low, medium or high', 'reasoning_effort');
  }
  const maxTokens =
    optNumber(b.max_completion_tokens, 'max_completion_tokens') ?? optNumber(b.max_tokens, 'max_tokens');
  const temperature = optNumber(b.temperature, 'temperature');
  const topP = optNumber(b.top_p, 'top_p');
  const toolChoice = decodeToolChoice(b.tool_choice);
  const parallel = optBool(b.parallel_tool_calls, 'parallel_tool_calls');
  const streamOptions = isObj(b.stream_options) ? b.stream_options : {};
  const user = optString(b.user, 'user');
  const responseFormat = decodeResponseFormat(b.response_format);
  return {
    model: optString(b.model, 'model') ?? '',
    system,
    messages,
    tools: decodeTools(b.tools),
    stream: b.stream === true,
    ...(toolChoice ? { toolChoice } : {}),
    ...(parallel !== undefined ? { parallelToolCalls: parallel } : {}),
    ...(maxTokens !== undefined ? { maxOutputTokens: maxTokens } : {}),
    ...(temperature !== undefined ? { temperature } : {}),
    ...(topP !== undefined ? { topP } : {}),
    ...(stop && stop.length > 0 ? { stop } : {}),
    ...(effort === 'none'
      ? { reasoning: { enabled: false } }
      : isEffort(effort)
        ? { reasoning: { effort, budgetTokens: effortToBudget(effort) } }
        : {}),
    ...(responseFormat ? { responseFormat } : {}),
    ...(streamOptions.include_usage === true ? { includeUsage: true } : {}),
    ...(user ? { user } : {}),
  };
}

function decodeResponseFormat(value: unknown): IRRequest['responseFormat'] {
  if (value === undefined || value === null) return undefined;
  const rf = expectObj(value, 'response_format');
  if (rf.type === 'text') return { type: 'text' };
  if (rf.type === 'json_object') return { type: 'json_object' };
  if (rf.type === 'json_schema') {
    const js = expectObj(rf.json_schema, 'response_format.json_schema');
    const strict = optBool(js.strict, 'response_format.json_schema.strict');
    const description = optString(js.description, 'response_format.json_schema.description');
    return {
      type: 'json_schema',
      name: optString(js.name, 'response_format.json_schema.name') ?? 'response',
      schema: asJsonObject(js.schema),
      ...(strict !== undefined ? { strict } : {}),
      ...(description ? { description } : {}),
    };
  }
  throw new FormatError(
    'response_format.type: expected text, json_object or json_schema',
    'response_format.type',
  );
}

function encodeImage(part: ImagePart): Obj {
  const url =
    part.source.kind === 'url' ? part.source.url : `data:${part.source.mediaType};base64,${part.source.data}`;
  return { type: 'image_url', image_url: { url } };
}

function encodeUserContent(parts: Array<TextPart | ImagePart>): string | Obj[] {
  if (parts.every((p) => p.type === 'text')) return parts.map((p) => (p as TextPart).text).join('');
  return parts.map((p) => (p.type === 'text' ? { type: 'text', text: p.text } : encodeImage(p)));
}

export function encodeChatRequest(ir: IRRequest): JsonObject {
  const messages: Obj[] = [];
  for (const part of ir.system) messages.push({ role: 'system', content: part.text });
  for (const message of ir.messages) {
    if (message.role === 'assistant') {
      const text = message.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
      const reasoning = message.content
        .flatMap((p) => (p.type === 'thinking' && !p.redacted ? [p.text] : []))
        .join('');
      const calls = message.content.flatMap((p) =>
        p.type === 'tool_call'
          ? [
              {
                id: toOpenAIId(p.id),
                type: 'function',
                function: { name: p.name, arguments: p.arguments || '{}' },
              },
            ]
          : [],
      );
      messages.push({
        role: 'assistant',
        content: text === '' && calls.length > 0 ? null : text,
        ...(reasoning ? { reasoning_content: reasoning } : {}),
        ...(calls.length > 0 ? { tool_calls: calls } : {}),
      });
      continue;
    }
    // Tool results become `tool` messages first, then whatever the user said in the same turn.
    const rest: Array<TextPart | ImagePart> = [];
    for (const part of message.content) {
      if (part.type === 'tool_result') {
        const text = part.content.map((c) => (c.type === 'text' ? c.text : '[image]')).join('\n');
        messages.push({
          role: 'tool',
          tool_call_id: toOpenAIId(part.callId),
          content: part.isError ? `Error: ${text}` : text,
        });
      } else if (part.type === 'text' || part.type === 'image') rest.push(part);
    }
    if (rest.length > 0) messages.push({ role: 'user', content: encodeUserContent(rest) });
  }
  const body: Obj = { model: ir.model, messages };
  if (ir.tools.length > 0) {
    body.tools = ir.tools.map((t) => ({
      type: 'function',
      function: {
        name: t.name,
        ...(t.description ? { description: t.description } : {}),
        parameters: t.parameters,
        ...(t.strict !== undefined ? { strict: t.strict } : {}),
      },
    }));
  }
  if (ir.toolChoice) {
    body.tool_choice =
      ir.toolChoice.type === 'tool'
        ? { type: 'function', function: { name: ir.toolChoice.name } }
        : ir.toolChoice.type;
  }
  if (ir.parallelToolCalls !== undefined && ir.tools.length > 0)
    body.parallel_tool_calls = ir.parallelToolCalls;
  if (ir.maxOutputTokens !== undefined) body.max_completion_tokens = ir.maxOutputTokens;
  if (ir.temperature !== undefined) body.temperature = ir.temperature;
  if (ir.topP !== undefined) body.top_p = ir.topP;
  if (ir.stop) body.stop = ir.stop;
  if (ir.reasoning && ir.reasoning.enabled !== false) {
    body.reasoning_effort = ir.reasoning.effort ?? budgetToEffort(ir.reasoning.budgetTokens ?? 8192);
  }
  if (ir.responseFormat) {
    body.response_format =
      ir.responseFormat.type === 'json_schema'
        ? {
            type: 'json_schema',
            json_schema: {
              name: ir.responseFormat.name,
              schema: ir.responseFormat.schema,
              ...(ir.responseFormat.strict !== undefined ? { strict: ir.responseFormat.strict } : {}),
              ...(ir.responseFormat.description ? { description: ir.responseFormat.description } : {}),
            },
          }
        : { type: ir.responseFormat.type };
  }
  if (ir.user) body.user = ir.user;
  if (ir.stream) {
    body.stream = true;
    // The proxy always asks for usage, to account for the request; clients that did not ask never see it.
    body.stream_options = { include_usage: true };
  }
  return body as JsonObject;
}
