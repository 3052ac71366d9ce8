import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseReader } from '../upstream/sse';
import type { ContentPart, FormatId, IRRequest, IRResponse, IRStreamEvent, Message, StopReason } from './ir';
import { codecFor } from './registry';

/**
 * Property tests: for each format's expressible subset, an IR value survives encode → decode.
 * The generators build conversations every format can carry (alternating turns, tool calls
 * answered in the next user turn); normalize() removes what a format legitimately re-derives.
 */
const FORMATS: FormatId[] = ['openai-chat', 'openai-responses', 'claude', 'gemini'];

const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ,.!?]{0,30}$/);
const name = fc.stringMatching(/^[a-z][a-z_]{0,11}$/);
const callId = fc.stringMatching(/^call_[a-zA-Z0-9]{4,16}$/);
const args = fc.dictionary(
  fc.stringMatching(/^[a-z]{1,6}$/),
  fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean()),
  { maxKeys: 3 },
);

const turn = fc.record({
  userText: word,
  assistantText: fc.option(word, { nil: undefined }),
  calls: fc.array(fc.record({ id: callId, name, args }), { maxLength: 2 }),
  results: fc.array(word, { minLength: 2, maxLength: 2 }),
});

const requestArb = fc
  .record({
    system: fc.array(word, { maxLength: 2 }),
    turns: fc.array(turn, { minLength: 1, maxLength: 3 }),
    finalText: word,
    temperature: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    maxOutputTokens: fc.option(fc.integer({ min: 1, max: 4000 }), { nil: undefined }),
    stream: fc.boolean(),
  })
  .map(({ system, turns, finalText, temperature, maxOutputTokens, stream }): IRRequest => {
    const messages: Message[] = [];
    const toolNames = new Set<string>();
    let pendingResults: ContentPart[] = [];
    turns.forEach((t, i) => {
      messages.push({ role: 'user', content: [...pendingResults, { type: 'text', text: t.userText }] });
      const unique = t.calls
        .filter((c, j) => t.calls.findIndex((d) => d.id === c.id) === j)
        .map((c) => ({ ...c, id: `${c.id}${i}` }));
      const content: ContentPart[] = [];
      if (t.assistantText || unique.length === 0)
        content.push({ type: 'text', text: t.assistantText ?? 'ok' });
      for (const c of unique) {
        toolNames.add(c.name);
        content.push({ type: 'tool_call', id: c.id, name: c.name, arguments: JSON.stringify(c.args) });
      }
      messages.push({ role: 'assistant', content });
      pendingResults = unique.map((c, j) => ({
        type: 'tool_result',
        callId: c.id,
        content: [{ type: 'text', text: t.results[j % 2] ?? 'r' }],
      }));
    });
    messages.push({ role: 'user', content: [...pendingResults, { type: 'text', text: finalText }] });
    return {
      model: 'test-model',
      system: system.map((text) => ({ type: 'text', text })),
      messages,
      tools: [...toolNames].map((n) => ({
        name: n,
        description: `tool ${n}`,
        parameters: { type: 'object', properties: { q: { type: 'string' } } },
      })),
      stream,
      ...(temperature !== undefined ? { temperature } : {}),
      ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
    };
  });

/** What a format re-derives: Gemini's generated ids and call signatures, names on results, defaults. */
function normalize(format: FormatId, request: IRRequest, original: IRRequest): unknown {
  const ids = new Map<string, string>();
  const idOf = (id: string) => {
    if (!ids.has(id)) ids.set(id, `id${ids.size}`);
    return ids.get(id);
  };
  return {
    system:
      format === 'openai-responses' || format === 'gemini'
        ? request.system.map((p) => p.text).join('\n\n')
        : request.system,
    messages: request.messages.map((m) => ({
      role: m.role,
      content: m.content.map((p) => {
        if (p.type === 'tool_call')
          return { type: p.type, id: idOf(p.id), name: p.name, arguments: JSON.parse(p.arguments) };
        if (p.type === 'tool_result') return { type: p.type, callId: idOf(p.callId), content: p.content };
        return p;
      }),
    })),
    tools: request.tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters })),
    temperature: request.temperature,
    maxOutputTokens: original.maxOutputTokens === undefined ? undefined : request.maxOutputTokens,
    stream: request.stream,
  };
}

describe.each(FORMATS)('%s properties', (format) => {
  const codec = codecFor(format);

  it('an IR request survives encode → decode', () => {
    fc.assert(
      fc.property(requestArb, (ir) => {
        const decoded = codec.decodeRequest(codec.encodeRequest(ir), { model: ir.model, stream: ir.stream });
        const joinSystem = format === 'openai-responses' || format === 'gemini';
        const expected = normalize(format, { ...ir, system: joinSystem ? ir.system : ir.system }, ir);
        expect(normalize(format, decoded, ir)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  const responseArb = fc
    .record({
      text: fc.option(word, { nil: undefined }),
      calls: fc.array(fc.record({ id: callId, name, args }), { maxLength: 2 }),
      stop: fc.constantFrom<StopReason>('end', 'max_tokens'),
      input: fc.integer({ min: 0, max: 10_000 }),
      output: fc.integer({ min: 0, max: 10_000 }),
    })
    .map(({ text, calls, stop, input, output }): IRResponse => {
      const unique = calls.filter((c, j) => calls.findIndex((d) => d.id === c.id) === j);
      const content: IRResponse['content'] = [];
      if (text || unique.length === 0) content.push({ type: 'text', text: text ?? 'hello' });
      for (const c of unique)
        content.push({ type: 'tool_call', id: c.id, name: c.name, arguments: JSON.stringify(c.args) });
      return {
        id: 'r1',
        model: 'm',
        created: 1_700_000_000,
        content,
        stopReason: unique.length > 0 ? 'tool_call' : stop,
        usage: { inputTokens: input, outputTokens: output },
      };
    });

  const summary = (content: IRResponse['content']) =>
    content.map((p) =>
      p.type === 'text'
        ? { text: p.text }
        : p.type === 'tool_call'
          ? { name: p.name, args: JSON.parse(p.arguments) }
          : {},
    );

  it('an IR response survives encode → decode', () => {
    fc.assert(
      fc.property(responseArb, (response) => {
        const decoded = codec.decodeResponse(codec.encodeResponse(response, 'm'));
        expect(summary(decoded.content)).toEqual(summary(response.content));
        expect(decoded.stopReason).toBe(response.stopReason);
        expect(decoded.usage).toEqual(response.usage);
      }),
      { numRuns: 150 },
    );
  });

  it('an IR event stream survives encode → decode', async () => {
    await fc.assert(
      fc.asyncProperty(responseArb, fc.integer({ min: 1, max: 4 }), async (response, pieces) => {
        const events: IRStreamEvent[] = [{ type: 'start', id: 'r1', model: 'm', created: 1 }];
        response.content.forEach((part, index) => {
          if (part.type === 'text') {
            events.push({ type: 'part_start', index, part: { type: 'text' } });
            const size = Math.ceil(part.text.length / pieces);
            for (let i = 0; i < part.text.length; i += size)
              events.push({ type: 'text_delta', index, text: part.text.slice(i, i + size) });
          } else if (part.type === 'tool_call') {
            events.push({
              type: 'part_start',
              index,
              part: { type: 'tool_call', id: part.id, name: part.name },
            });
            const size = Math.max(1, Math.ceil(part.arguments.length / pieces));
            for (let i = 0; i < part.arguments.length; i += size)
              events.push({ type: 'tool_args_delta', index, json: part.arguments.slice(i, i + size) });
          }
          events.push({ type: 'part_stop', index });
        });
        events.push(
          { type: 'usage', usage: response.usage },
          { type: 'finish', stopReason: response.stopReason },
        );
        const encoder = codec.createStreamEncoder({ model: 'm', includeUsage: true, sse: true });
        const wire = events.map((e) => encoder.push(e)).join('') + encoder.end();
        const decoder = codec.createStreamDecoder();
        const out: IRStreamEvent[] = [];
        const reader = new SseReader();
        for (const message of [...reader.push(new TextEncoder().encode(wire)), ...reader.end()])
          out.push(...decoder.push(message));
        out.push(...decoder.end());
        // Rebuild the answer from the decoded events and compare with the source.
        const text = new Map<number, string>();
        const tools = new Map<number, { name: string; args: string }>();
        for (const e of out) {
          if (e.type === 'part_start' && e.part.type === 'tool_call')
            tools.set(e.index, { name: e.part.name, args: '' });
          if (e.type === 'text_delta') text.set(e.index, (text.get(e.index) ?? '') + e.text);
          if (e.type === 'tool_args_delta') {
            const t = tools.get(e.index);
            if (t) t.args += e.json;
          }
        }
        const rebuilt = [
          ...[...text.entries()].map(([index, t]) => ({ index, v: { text: t } })),
          ...[...tools.entries()].map(([index, t]) => ({
            index,
            v: { name: t.name, args: JSON.parse(t.args || '{}') },
          })),
        ]
          .sort((a, b) => a.index - b.index)
          .map((x) => x.v);
        expect(rebuilt).toEqual(summary(response.content));
        expect(out.at(-1)).toEqual({ type: 'finish', stopReason: response.stopReason });
        const usage = out.filter((e) => e.type === 'usage').at(-1);
        expect(usage && usage.type === 'usage' ? usage.usage.outputTokens : -1).toBe(
          response.usage.outputTokens,
        );
      }),
      { numRuns: 100 },
    );
  });
});
