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
  parseDataUrl,
} from '../json';
import { budgetToEffort, effortToBudget, isEffort } from '../reasoning';

function decodeContent(content: unknown, param: string): Array<TextPart | ImagePart> {
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  return expectArray(content, param).flatMap((raw, i): Array<TextPart | ImagePart> => {
    const part = expectObj(raw, `${param}[${i}]`);
    if (part.type === 'input_text' || part.type === 'output_text' || part.type === 'text') {
      return [{ type: 'text', text: optString(part.text, `${param}[${i}].text`) ?? '' }];
    }
    if (part.type === 'refusal')
      return [{ type: 'text', text: optString(part.refusal, `${param}[${i}].refusal`) ?? '' }];
    if (part.type === 'input_image') {
      const url = optString(part.image_url, `${param}[${i}].image_url`);
      if (!url)
        throw new FormatError(
          `${param}[${i}]: only image_url images are supported (not file_id)`,
          `${param}[${i}].image_url`,
        );
      const inline = parseDataUrl(url);
      return [{ type: 'image', source: inline ? { kind: 'base64', ...inline } : { kind: 'url', url } }];
    }
    throw new FormatError(
      `${param}[${i}].type: ${JSON.stringify(part.type)} is not supported`,
      `${param}[${i}].type`,
    );
  });
}

function decodeToolChoice(value: unknown): ToolChoice | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'auto' || value === 'none' || value === 'required') return { type: value };
  if (isObj(value) && value.type === 'function' && typeof value.name === 'string')
    return { type: 'tool', name: value.name };
  throw new FormatError(
    'tool_choice: expected auto, none, required or {type: function, name}',
    'tool_choice',
  );
}

export function decodeResponsesRequest(body: unknown): IRRequest {
  const b = expectObj(body, 'body');
  // Both point at turns stored upstream, which a translated request cannot carry: dropping them would
  // send the model only the newest input.
  for (const field of ['previous_response_id', 'conversation'] as const) {
    if (b[field] !== undefined && b[field] !== null) {
      throw new FormatError(
        `${field} is not supported: this proxy keeps no conversation state; send the full input instead (store: false)`,
        field,
      );
    }
  }
  const system: TextPart[] = [];
  const instructions = optString(b.instructions, 'instructions');
  if (instructions) system.push({ type: 'text', text: instructions });
  const messages: Message[] = [];
  const push = (role: Message['role'], content: ContentPart[]) => {
    if (content.length === 0) return;
    const last = messages.at(-1);
    if (last && last.role === role) last.content.push(...content);
    else messages.push({ role, content });
  };
  const items =
    typeof b.input === 'string' ? [{ role: 'user', content: b.input }] : expectArray(b.input, 'input');
  items.forEach((raw, i) => {
    const item = expectObj(raw, `input[${i}]`);
    const type = item.type ?? 'message';
    const at = `input[${i}]`;
    if (type === 'message') {
      const content = decodeContent(item.content, `${at}.content`);
      if (item.role === 'system' || item.role === 'developer') {
        const text = content.map((p) => (p.type === 'text' ? p.text : '')).join('');
        if (text) system.push({ type: 'text', text });
      } else if (item.role === 'user' || item.role === 'assistant') push(item.role, content);
      else throw new FormatError(`${at}.role: expected user, assistant, system or developer`, `${at}.role`);
    } else if (type === 'function_call') {
      const callId =
        optString(item.call_id, `${at}.call_id`) ?? optString(item.id, `${at}.id`) ?? `call_${i}`;
      push('assistant', [
        {
          type: 'tool_call',
          id: callId,
          name: optString(item.name, `${at}.name`) ?? '',
          arguments: optString(item.arguments, `${at}.arguments`) ?? '{}',
        },
      ]);
    } else if (type === 'function_call_output') {
      const callId = optString(item.call_id, `${at}.call_id`);
      if (!callId) throw new FormatError(`${at}.call_id is required`, `${at}.call_id`);
      const content =
        typeof item.output === 'string'
          ? item.output
            ? [{ type: 'text' as const, text: item.output }]
            : []
          : decodeContent(item.output, `${at}.output`);
      push('user', [{ type: 'tool_result', callId, content }]);
    } else if (type === 'reasoning') {
      const summary = Array.isArray(item.summary)
        ? item.summary
            .map((s, j) => (isObj(s) ? (optString(s.text, `${at}.summary[${j}].text`) ?? '') : ''))
            .join('\n')
        : '';
      const encrypted = typeof item.encrypted_content === 'string' ? item.encrypted_content : undefined;
      if (summary || encrypted)
        push('assistant', [
          { type: 'thinking', text: summary, ...(encrypted ? { signature: encrypted } : {}) },
        ]);
    } else {
      throw new FormatError(
        `${at}.type: ${JSON.stringify(type)} items are not supported by this proxy`,
        `${at}.type`,
      );
    }
  });
  const tools =
    b.tools === undefined
      ? []
      : expectArray(b.tools, 'tools').map((raw, i) => {
          const tool = expectObj(raw, `tools[${i}]`);
          if (tool.type !== 'function') {
            throw new FormatError(
              `tools[${i}].type: ${JSON.stringify(tool.type)} tools are not supported; only function tools are`,
              `tools[${i}].type`,
            );
          }
          const description = optString(tool.description, `tools[${i}].description`);
          const strict = optBool(tool.strict, `tools[${i}].strict`);
          return {
            name: optString(tool.name, `tools[${i}].name`) ?? '',
            ...(description ? { description } : {}),
            parameters: (isObj(tool.parameters)
              ? tool.parameters
              : { type: 'object', properties: {} }) as JsonObject,
            ...(strict !== undefined ? { strict } : {}),
          };
        });
  const reasoning = isObj(b.reasoning) ? b.reasoning : undefined;
  const effort = reasoning?.effort;
  const text = isObj(b.text) ? b.text : {};
  const format = isObj(text.format) ? text.format : undefined;
  const toolChoice = decodeToolChoice(b.tool_choice);
  const parallel = optBool(b.parallel_tool_calls, 'parallel_tool_calls');
  const maxTokens = optNumber(b.max_output_tokens, 'max_output_tokens');
  const temperature = optNumber(b.temperature, 'temperature');
  const topP = optNumber(b.top_p, 'top_p');
  const user = optString(b.user, 'user');
  return {
    model: optString(b.model, 'model') ?? '',
    system,
    messages,
    tools,
    stream: b.stream === true,
    ...(toolChoice ? { toolChoice } : {}),
    ...(parallel !== undefined ? { parallelToolCalls: parallel } : {}),
    ...(maxTokens !== undefined ? { maxOutputTokens: maxTokens } : {}),
    ...(temperature !== undefined ? { temperature } : {}),
    ...(topP !== undefined ? { topP } : {}),
    ...(isEffort(effort)
      ? { reasoning: { effort, budgetTokens: effortToBudget(effort) } }
      : effort === 'none'
        ? { reasoning: { enabled: false } }
        : {}),
    ...(format?.type === 'json_schema'
      ? {
          responseFormat: {
            type: 'json_schema' as const,
            name: optString(format.name, 'text.format.name') ?? 'response',
            schema: asJsonObject(format.schema),
            ...(typeof format.strict === 'boolean' ? { strict: format.strict } : {}),
          },
        }
      : format?.type === 'json_object'
        ? { responseFormat: { type: 'json_object' as const } }
        : {}),
    ...(user ? { user } : {}),
    includeUsage: true,
  };
}

function encodeContent(parts: Array<TextPart | ImagePart>, role: 'user' | 'assistant'): Obj[] {
  return parts.map((p) =>
    p.type === 'text'
      ? { type: role === 'assistant' ? 'output_text' : 'input_text', text: p.text }
      : {
          type: 'input_image',
          image_url:
            p.source.kind === 'url' ? p.source.url : `data:${p.source.mediaType};base64,${p.source.data}`,
        },
  );
}

export function encodeResponsesRequest(ir: IRRequest): JsonObject {
  const input: Obj[] = [];
  for (const message of ir.messages) {
    let pending: Array<TextPart | ImagePart> = [];
    const flush = () => {
      if (pending.length > 0)
        input.push({ type: 'message', role: message.role, content: encodeContent(pending, message.role) });
      pending = [];
    };
    for (const part of message.content) {
      if (part.type === 'text' || part.type === 'image') pending.push(part);
      else if (part.type === 'tool_call') {
        flush();
        input.push({
          type: 'function_call',
          call_id: toOpenAIId(part.id),
          name: part.name,
          arguments: part.arguments || '{}',
        });
      } else if (part.type === 'tool_result') {
        flush();
        input.push({
          type: 'function_call_output',
          call_id: toOpenAIId(part.callId),
          output: part.content.map((c) => (c.type === 'text' ? c.text : '[image]')).join('\n'),
        });
      } else if (part.type === 'thinking' && part.signature && message.role === 'assistant') {
        flush();
        input.push({
          type: 'reasoning',
          summary: part.text ? [{ type: 'summary_text', text: part.text }] : [],
          encrypted_content: part.signature,
        });
      }
    }
    flush();
  }
  const body: Obj = { model: ir.model, input, store: false };
  if (ir.system.length > 0) body.instructions = ir.system.map((p) => p.text).join('\n\n');
  if (ir.tools.length > 0) {
    body.tools = ir.tools.map((t) => ({
      type: 'function',
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      parameters: t.parameters,
      strict: t.strict ?? false,
    }));
  }
  if (ir.toolChoice)
    body.tool_choice =
      ir.toolChoice.type === 'tool' ? { type: 'function', name: ir.toolChoice.name } : ir.toolChoice.type;
  if (ir.parallelToolCalls !== undefined) body.parallel_tool_calls = ir.parallelToolCalls;
  if (ir.maxOutputTokens !== undefined) body.max_output_tokens = ir.maxOutputTokens;
  if (ir.temperature !== undefined) body.temperature = ir.temperature;
  if (ir.topP !== undefined) body.top_p = ir.topP;
  if (ir.reasoning && ir.reasoning.enabled !== false) {
    body.reasoning = {
      effort: ir.reasoning.effort ?? budgetToEffort(ir.reasoning.budgetTokens ?? 8192),
      summary: 'auto',
    };
    body.include = ['reasoning.encrypted_content'];
  }
  if (ir.responseFormat?.type === 'json_schema') {
    body.text = {
      format: {
        type: 'json_schema',
        name: ir.responseFormat.name,
        schema: ir.responseFormat.schema,
        strict: ir.responseFormat.strict ?? false,
      },
    };
  } else if (ir.responseFormat?.type === 'json_object') body.text = { format: { type: 'json_object' } };
  if (ir.stop) throw new FormatError('stop: the Responses API has no stop sequences', 'stop');
  if (ir.user) body.user = ir.user;
  if (ir.stream) body.stream = true;
  return body as JsonObject;
}
