import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SseReader } from '../upstream/sse';
import { FormatError, type FormatId, type IRStreamEvent, type SseMessage } from './ir';
import { codecFor } from './registry';

/**
 * Table-driven codec tests: every JSON fixture in test/fixtures/<format>/ is a wire body and the IR
 * it must decode to (written by hand from the APIs' documentation), and every stream transcript
 * comes with the IR events it must produce.
 */
const root = resolve(import.meta.dirname, '../../../test/fixtures');
const FORMATS: FormatId[] = ['openai-chat', 'openai-responses', 'claude', 'gemini'];

const read = (format: string, name: string) => JSON.parse(readFileSync(join(root, format, name), 'utf8'));
const files = (format: string, pattern: RegExp) =>
  readdirSync(join(root, format)).filter((f) => pattern.test(f));

/** `"*"` in an expected value matches anything (timestamps). */
function wildcard(expected: unknown, actual: unknown): unknown {
  if (expected === '*') return actual;
  if (Array.isArray(expected) && Array.isArray(actual)) return expected.map((e, i) => wildcard(e, actual[i]));
  if (expected && typeof expected === 'object' && actual && typeof actual === 'object') {
    return Object.fromEntries(
      Object.entries(expected).map(([k, v]) => [k, wildcard(v, (actual as Record<string, unknown>)[k])]),
    );
  }
  return expected;
}

function messagesOf(text: string): SseMessage[] {
  const reader = new SseReader();
  return [...reader.push(new TextEncoder().encode(text)), ...reader.end()];
}

function decodeAll(format: FormatId, messages: SseMessage[]): IRStreamEvent[] {
  const decoder = codecFor(format).createStreamDecoder();
  return [...messages.flatMap((m) => decoder.push(m)), ...decoder.end()];
}

describe.each(FORMATS)('%s codec', (format) => {
  const codec = codecFor(format);

  describe.each(files(format, /^request-.*\.json$/))('request fixture %s', (file) => {
    const fixture = read(format, file);
    it('decodes the wire body to the expected IR', () => {
      expect(codec.decodeRequest(fixture.wire, fixture.context)).toEqual(fixture.ir);
    });
    it('survives encode → decode', () => {
      const encoded = codec.encodeRequest(fixture.ir);
      const again = codec.decodeRequest(encoded, { model: fixture.ir.model, stream: fixture.ir.stream });
      expect(again.messages.map((m) => m.content.map((p) => p.type))).toEqual(
        fixture.ir.messages.map((m: { content: Array<{ type: string }> }) => m.content.map((p) => p.type)),
      );
      expect(again.tools.map((t) => t.name)).toEqual(fixture.ir.tools.map((t: { name: string }) => t.name));
      expect(again.system).toEqual(fixture.ir.system);
    });
  });

  it('rejects what it cannot carry, naming the field', () => {
    for (const rejection of read(format, 'rejections.json') as Array<{
      description: string;
      wire: unknown;
      param: string;
    }>) {
      let error: unknown;
      try {
        codec.decodeRequest(rejection.wire, { model: 'm', stream: false });
      } catch (e) {
        error = e;
      }
      expect(error, rejection.description).toBeInstanceOf(FormatError);
      expect((error as FormatError).param, rejection.description).toBe(rejection.param);
      expect((error as FormatError).status).toBe(400);
    }
  });

  it('decodes the response fixture and re-encodes it losslessly', () => {
    const fixture = read(format, 'response.json');
    const decoded = codec.decodeResponse(fixture.wire);
    expect(decoded).toEqual(wildcard({ created: '*', ...fixture.ir }, decoded));
    const again = codec.decodeResponse(codec.encodeResponse(decoded, 'client-model'));
    expect(again.content.map((p) => p.type)).toEqual(decoded.content.map((p) => p.type));
    expect(again.stopReason).toBe(decoded.stopReason);
    expect(again.usage).toEqual(decoded.usage);
  });

  it('reads the same usage alone as the whole decode does, and zeros from a body without any', () => {
    const fixture = read(format, 'response.json');
    expect(fixture.ir.usage.inputTokens).toBeGreaterThan(0);
    expect(codec.decodeResponseUsage(fixture.wire)).toEqual(codec.decodeResponse(fixture.wire).usage);
    for (const body of [{}, null, 'text', []])
      expect(codec.decodeResponseUsage(body)).toEqual({ inputTokens: 0, outputTokens: 0 });
  });

  describe.each(files(format, /^stream-.*\.txt$/))('stream transcript %s', (file) => {
    const text = readFileSync(join(root, format, file), 'utf8');
    const expected = read(format, file.replace(/\.txt$/, '.events.json'));

    it('decodes to the expected IR events', async () => {
      const events = decodeAll(format, messagesOf(text));
      expect(events).toEqual(wildcard(expected, events));
    });

    it('reports a stream cut before its end as an error, never a clean finish', async () => {
      const messages = messagesOf(text);
      const events = decodeAll(format, messages.slice(0, Math.max(1, Math.floor(messages.length / 2))));
      expect(events.at(-1)?.type).toBe('error');
      expect(events.some((e) => e.type === 'finish')).toBe(false);
    });

    it('re-encodes the events into a stream that decodes to the same content', async () => {
      const events = decodeAll(format, messagesOf(text));
      const encoder = codec.createStreamEncoder({ model: 'client-model', includeUsage: true, sse: true });
      const wire = events.map((e) => encoder.push(e)).join('') + encoder.end();
      const again = decodeAll(format, messagesOf(wire));
      const shape = (list: IRStreamEvent[]) =>
        list
          .filter((e) => e.type !== 'start' && e.type !== 'usage')
          .map((e) => ('text' in e ? `${e.type}:${e.text}` : e.type));
      expect(shape(again)).toEqual(shape(events));
      expect(again.at(-1)).toEqual(events.at(-1));
    });
  });

  it('reads error bodies, JSON or not, and writes its own shape', () => {
    const error = codec.decodeError(
      429,
      JSON.stringify(codec.encodeError({ status: 429, kind: 'rate_limit', message: 'slow down' })),
      12,
    );
    expect(error).toMatchObject({ status: 429, kind: 'rate_limit', message: 'slow down', retryAfter: 12 });
    expect(codec.decodeError(502, '<html>Bad Gateway</html>').message).toContain('Bad Gateway');
    expect(codec.decodeError(500, '').message).toContain('500');
  });
});
