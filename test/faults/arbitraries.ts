import fc from 'fast-check';
import type { ClientFormat } from './wire';

/**
 * Requests each API accepts, as its clients send them (wire JSON, not IR). `core` keeps to what
 * every upstream can carry (text, tools, tool results, inline images, sampling); the full variant
 * adds what some targets must refuse with a 400 naming the field (image URLs for Gemini, stop
 * sequences for Responses, forced tools with thinking...).
 */
export type Rich = 'core' | 'full';

type Obj = Record<string, unknown>;

const text = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '');
const name = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,20}$/);
const callId = fc.stringMatching(/^call_[a-zA-Z0-9]{6,20}$/);
const imageData = fc.base64String({ minLength: 4, maxLength: 40 }).filter((s) => s.length >= 4);
const mime = fc.constantFrom('image/png', 'image/jpeg', 'image/webp');
const url = fc.webUrl({ validSchemes: ['https'] });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** JSON Schemas as tools declare them, including what Gemini must have cleaned ($ref, additionalProperties...). */
const schema: fc.Arbitrary<Obj> = fc.letrec<{ node: Obj }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    fc.record({ type: fc.constantFrom('string', 'number', 'integer', 'boolean'), description: maybe(text) }),
    fc.record({ type: fc.constant('string'), enum: fc.array(name, { minLength: 1, maxLength: 3 }) }),
    fc.record({ type: fc.constant('array'), items: tie('node') }),
    fc.record({
      type: fc.constant('object'),
      properties: fc.dictionary(name, tie('node'), { maxKeys: 3 }),
      additionalProperties: maybe(fc.boolean()),
      required: maybe(fc.array(name, { maxLength: 2 })),
    }),
    fc.record({ anyOf: fc.array(tie('node'), { minLength: 1, maxLength: 2 }) }),
  ),
})).node;

const toolSchema = fc.record({
  type: fc.constant('object'),
  properties: fc.dictionary(name, schema, { maxKeys: 3 }),
  $schema: maybe(fc.constant('http://json-schema.org/draft-07/schema#')),
  $defs: maybe(fc.constant({ Unit: { type: 'string', enum: ['c', 'f'] } })),
});

const args = fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });

/** A conversation skeleton every format can express: turns, each maybe with tool calls answered next. */
const conversation = fc.record({
  turns: fc.array(
    fc.record({
      user: text,
      image: fc.option(fc.record({ mime, data: imageData, url }), { freq: 4, nil: undefined }),
      assistant: maybe(text),
      thinking: fc.option(fc.record({ text, signature: fc.base64String({ minLength: 8, maxLength: 24 }) }), {
        freq: 4,
        nil: undefined,
      }),
      calls: fc.uniqueArray(fc.record({ id: callId, args, result: text, error: fc.boolean() }), {
        maxLength: 2,
        selector: (c) => c.id,
      }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  last: text,
  system: fc.array(text, { maxLength: 2 }),
  tools: fc.uniqueArray(fc.record({ name, description: maybe(text), parameters: toolSchema }), {
    minLength: 1,
    maxLength: 3,
    selector: (t) => t.name,
  }),
  temperature: maybe(fc.double({ min: 0, max: 1, noNaN: true })),
  topP: maybe(fc.double({ min: 0, max: 1, noNaN: true })),
  maxTokens: fc.integer({ min: 1, max: 8192 }),
  stream: fc.boolean(),
  stop: maybe(fc.array(text, { minLength: 1, maxLength: 2 })),
  effort: maybe(fc.constantFrom('low', 'medium', 'high')),
  force: fc.constantFrom('auto', 'none', 'required', 'named'),
  json: fc.constantFrom('none', 'object', 'schema'),
});

type Conversation = typeof conversation extends fc.Arbitrary<infer T> ? T : never;

const toolName = (c: Conversation, i: number) => c.tools[i % c.tools.length]?.name ?? 'tool';
const drop = (o: Obj): Obj => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function chat(c: Conversation, rich: Rich): Obj {
  const messages: Obj[] = c.system.map((content) => ({ role: 'system', content }));
  c.turns.forEach((t, i) => {
    const image = t.image && {
      type: 'image_url',
      image_url: { url: rich === 'full' ? t.image.url : `data:${t.image.mime};base64,${t.image.data}` },
    };
    messages.push({ role: 'user', content: image ? [{ type: 'text', text: t.user }, image] : t.user });
    messages.push(
      drop({
        role: 'assistant',
        content: t.assistant ?? (t.calls.length ? null : 'ok'),
        tool_calls: t.calls.length
          ? t.calls.map((call, j) => ({
              id: call.id,
              type: 'function',
              function: { name: toolName(c, i + j), arguments: JSON.stringify(call.args) },
            }))
          : undefined,
      }),
    );
    for (const call of t.calls) messages.push({ role: 'tool', tool_call_id: call.id, content: call.result });
  });
  messages.push({ role: 'user', content: c.last });
  return drop({
    model: 'm',
    messages,
    stream: c.stream,
    temperature: c.temperature,
    top_p: c.topP,
    max_completion_tokens: c.maxTokens,
    tools: c.tools.map((t) => ({ type: 'function', function: drop({ ...t }) })),
    ...(rich === 'full'
      ? {
          stop: c.stop,
          reasoning_effort: c.effort,
          tool_choice:
            c.force === 'named' ? { type: 'function', function: { name: toolName(c, 0) } } : c.force,
          response_format:
            c.json === 'none'
              ? undefined
              : c.json === 'object'
                ? { type: 'json_object' }
                : { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' } } },
          stream_options: c.stream ? { include_usage: true } : undefined,
        }
      : {}),
  });
}

function responses(c: Conversation, rich: Rich): Obj {
  const input: Obj[] = [];
  c.turns.forEach((t, i) => {
    const content: Obj[] = [{ type: 'input_text', text: t.user }];
    if (t.image)
      content.push({
        type: 'input_image',
        image_url: rich === 'full' ? t.image.url : `data:${t.image.mime};base64,${t.image.data}`,
      });
    input.push({ role: 'user', content });
    if (t.assistant || t.calls.length === 0)
      input.push({ role: 'assistant', content: [{ type: 'output_text', text: t.assistant ?? 'ok' }] });
    t.calls.forEach((call, j) => {
      input.push({
        type: 'function_call',
        call_id: call.id,
        name: toolName(c, i + j),
        arguments: JSON.stringify(call.args),
      });
    });
    for (const call of t.calls)
      input.push({ type: 'function_call_output', call_id: call.id, output: call.result });
  });
  input.push({ role: 'user', content: c.last });
  return drop({
    model: 'm',
    input,
    instructions: c.system.length ? c.system.join('\n') : undefined,
    stream: c.stream,
    temperature: c.temperature,
    top_p: c.topP,
    max_output_tokens: c.maxTokens,
    tools: c.tools.map((t) => drop({ type: 'function', ...t })),
    store: false,
    ...(rich === 'full'
      ? {
          reasoning: c.effort ? { effort: c.effort } : undefined,
          tool_choice: c.force === 'named' ? { type: 'function', name: toolName(c, 0) } : c.force,
          text:
            c.json === 'none'
              ? undefined
              : {
                  format:
                    c.json === 'object'
                      ? { type: 'json_object' }
                      : { type: 'json_schema', name: 'out', schema: { type: 'object' } },
                },
        }
      : {}),
  });
}

function claude(c: Conversation, rich: Rich): Obj {
  const messages: Obj[] = [];
  let pending: Obj[] = [];
  c.turns.forEach((t, i) => {
    const image = t.image && {
      type: 'image',
      source:
        rich === 'full'
          ? { type: 'url', url: t.image.url }
          : { type: 'base64', media_type: t.image.mime, data: t.image.data },
    };
    messages.push({
      role: 'user',
      content: [...pending, { type: 'text', text: t.user }, ...(image ? [image] : [])],
    });
    const content: Obj[] = [];
    if (rich === 'full' && t.thinking)
      content.push({ type: 'thinking', thinking: t.thinking.text, signature: t.thinking.signature });
    if (t.assistant || t.calls.length === 0) content.push({ type: 'text', text: t.assistant ?? 'ok' });
    t.calls.forEach((call, j) => {
      content.push({ type: 'tool_use', id: call.id, name: toolName(c, i + j), input: call.args });
    });
    messages.push({ role: 'assistant', content });
    pending = t.calls.map((call) =>
      drop({
        type: 'tool_result',
        tool_use_id: call.id,
        content: call.result,
        is_error: call.error || undefined,
      }),
    );
  });
  messages.push({ role: 'user', content: [...pending, { type: 'text', text: c.last }] });
  const thinking = rich === 'full' && c.effort !== undefined;
  return drop({
    model: 'm',
    max_tokens: thinking ? Math.max(c.maxTokens, 2048) : c.maxTokens,
    messages,
    system: c.system.length ? c.system.map((s) => ({ type: 'text', text: s })) : undefined,
    stream: c.stream,
    temperature: thinking ? undefined : c.temperature,
    tools: c.tools.map((t) => drop({ name: t.name, description: t.description, input_schema: t.parameters })),
    ...(rich === 'full'
      ? {
          stop_sequences: c.stop,
          thinking: thinking ? { type: 'enabled', budget_tokens: 1024 } : undefined,
          tool_choice:
            thinking || c.force === 'auto'
              ? { type: 'auto' }
              : c.force === 'none'
                ? { type: 'none' }
                : c.force === 'required'
                  ? { type: 'any' }
                  : { type: 'tool', name: toolName(c, 0) },
        }
      : {}),
  });
}

function gemini(c: Conversation, rich: Rich): Obj {
  const contents: Obj[] = [];
  let pending: Obj[] = [];
  c.turns.forEach((t, i) => {
    const image =
      t.image &&
      (rich === 'full'
        ? { fileData: { mimeType: t.image.mime, fileUri: t.image.url } }
        : { inlineData: { mimeType: t.image.mime, data: t.image.data } });
    contents.push({ role: 'user', parts: [...pending, { text: t.user }, ...(image ? [image] : [])] });
    const parts: Obj[] = [];
    if (rich === 'full' && t.thinking)
      parts.push({ text: t.thinking.text, thought: true, thoughtSignature: t.thinking.signature });
    if (t.assistant || t.calls.length === 0) parts.push({ text: t.assistant ?? 'ok' });
    t.calls.forEach((call, j) => {
      parts.push({ functionCall: { name: toolName(c, i + j), args: call.args } });
    });
    contents.push({ role: 'model', parts });
    pending = t.calls.map((call, j) => ({
      functionResponse: {
        name: toolName(c, i + j),
        response: call.error ? { error: call.result } : { output: call.result },
      },
    }));
  });
  contents.push({ role: 'user', parts: [...pending, { text: c.last }] });
  return drop({
    contents,
    systemInstruction: c.system.length ? { parts: c.system.map((s) => ({ text: s })) } : undefined,
    tools: [{ functionDeclarations: c.tools.map((t) => drop({ ...t })) }],
    generationConfig: drop({
      temperature: c.temperature,
      topP: c.topP,
      maxOutputTokens: c.maxTokens,
      ...(rich === 'full'
        ? {
            stopSequences: c.stop,
            thinkingConfig: c.effort ? { thinkingBudget: 1024, includeThoughts: true } : undefined,
            responseMimeType: c.json === 'none' ? undefined : 'application/json',
          }
        : {}),
    }),
    ...(rich === 'full'
      ? {
          toolConfig: {
            functionCallingConfig:
              c.force === 'named'
                ? { mode: 'ANY', allowedFunctionNames: [toolName(c, 0)] }
                : { mode: c.force === 'required' ? 'ANY' : c.force.toUpperCase() },
          },
        }
      : {}),
  });
}

const BUILDERS: Record<ClientFormat, (c: Conversation, rich: Rich) => Obj> = {
  'openai-chat': chat,
  'openai-responses': responses,
  claude,
  gemini,
};

/** A request body of `format`, valid for that API, built from an arbitrary conversation. */
export function requestOf(format: ClientFormat, rich: Rich): fc.Arbitrary<Obj> {
  return conversation.map((c) => BUILDERS[format](c, rich));
}
