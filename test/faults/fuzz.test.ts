import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError, type FormatId } from '../../main/engine/formats/ir';
import { codecFor } from '../../main/engine/formats/registry';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import type { MockUpstream } from '../mocks/common';
import { startMockOpenAI } from '../mocks/openai';
import { requestOf } from './arbitraries';
import { expectStillServing, MANAGEMENT_SECRET, POST_ROUTES } from './helpers';
import { answer, type FaultUpstream, startFaultUpstream } from './upstream';
import { at, CLIENT_FORMATS, type ClientFormat, clientRequest, expectErrorShape, readStream } from './wire';

/** Every format the engine encodes requests into (Kiro is upstream only). */
const TARGETS: FormatId[] = ['openai-chat', 'openai-responses', 'claude', 'gemini', 'kiro'];

/**
 * What a target legitimately cannot carry: Responses has no stop sequences, Anthropic no JSON
 * response format and no forced tool while thinking, Gemini no image by URL (the pipeline fetches
 * those bytes before encoding).
 */
const KNOWN_LIMITS: Partial<Record<FormatId, string[]>> = {
  'openai-responses': ['stop'],
  claude: ['response_format', 'tool_choice'],
  gemini: ['image_url'],
};

function lastUserText(format: ClientFormat, body: Record<string, unknown>): string {
  const turns = (at(
    body,
    format === 'gemini' ? 'contents' : format === 'openai-responses' ? 'input' : 'messages',
  ) ?? []) as unknown[];
  const last = turns.at(-1);
  if (format === 'gemini') return String(at((at(last, 'parts') as unknown[]).at(-1), 'text'));
  const content = at(last, 'content');
  return typeof content === 'string' ? content : String(at((content as unknown[]).at(-1), 'text'));
}

describe.each(CLIENT_FORMATS)('fuzzed %s requests through the translators', (format) => {
  const codec = codecFor(format);

  it('core features: decode, then encode for every upstream format, never throws and loses no turn', () => {
    fc.assert(
      fc.property(requestOf(format, 'core'), (body) => {
        const ir = codec.decodeRequest(body, { model: 'm', stream: body.stream === true });
        const last = JSON.stringify(lastUserText(format, body)).slice(1, -1);
        for (const target of TARGETS) {
          const wire = JSON.stringify(codecFor(target).encodeRequest({ ...ir, model: 'up' }));
          expect(wire, `${format} → ${target}`).toContain(last);
          for (const tool of ir.tools) expect(wire).toContain(JSON.stringify(tool.name));
        }
      }),
      { numRuns: 120 },
    );
  });

  it('every feature: decoding never throws; a target that cannot carry one refuses with a 400 naming it', () => {
    fc.assert(
      fc.property(requestOf(format, 'full'), (body) => {
        const ir = codec.decodeRequest(body, { model: 'm', stream: body.stream === true });
        for (const target of TARGETS) {
          try {
            codecFor(target).encodeRequest({ ...ir, model: 'up' });
          } catch (error) {
            expect(error, `${format} → ${target}: ${(error as Error).stack}`).toBeInstanceOf(FormatError);
            expect((error as FormatError).status).toBe(400);
            expect(KNOWN_LIMITS[target] ?? []).toContain((error as FormatError).param);
          }
        }
      }),
      { numRuns: 120 },
    );
  });
});

// Values that break code which coerces instead of checking types: String() throws on the first,
// and the prototype's names as keys catch lookups that trust `in` or a plain object's inherited members.
const POISONED_VALUES = [
  '{"toString":false}',
  '{"valueOf":{},"toString":{}}',
  '{"__proto__":{"type":"text","text":"x"}}',
  '{"constructor":null,"hasOwnProperty":1}',
].map((json) => JSON.parse(json) as unknown);

/** What replaces one value of a valid request: arbitrary JSON, now and then a poisoned object. */
const replacementValue = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(...POISONED_VALUES) },
);

/** The body with the value at one of its paths (chosen by `pick`) replaced by `value`. */
function replaceOne(body: unknown, pick: number, value: unknown): unknown {
  const paths: Array<Array<string | number>> = [];
  const walk = (node: unknown, path: Array<string | number>) => {
    paths.push(path);
    if (node && typeof node === 'object')
      for (const [key, child] of Object.entries(node))
        walk(child, [...path, Array.isArray(node) ? Number(key) : key]);
  };
  walk(body, []);
  const target = paths[1 + (pick % Math.max(1, paths.length - 1))] ?? [];
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let node = copy;
  for (const key of target.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = target.at(-1);
  if (last !== undefined) node[last] = value;
  return copy;
}

describe('fuzzed bytes posted to every route', () => {
  let upstream: MockUpstream;
  let lenient: FaultUpstream;
  let engine: TestEngine;

  beforeAll(async () => {
    upstream = await startMockOpenAI({ acceptBearer: () => true });
    // Answers anything it is sent, so whatever the proxy makes of a mutated request shows as is.
    lenient = await startFaultUpstream(answer('claude', ['fine']));
    engine = await startTestEngine(`management_secret: ${MANAGEMENT_SECRET}
max_body_mb: 1
providers:
  - {name: ok, type: openai, api_key: k, endpoint: "${upstream.url}", models: [{name: gpt-4o-mini, alias: ok}]}
  - {name: lenient, type: claude, api_key: k, endpoint: "${lenient.url}", models: [{name: c, alias: fuzz}]}
`);
  });

  afterAll(async () => {
    await engine.stop();
    await upstream.close();
    await lenient.close();
  });

  const vocabulary = fc.dictionary(
    fc.constantFrom(
      'model',
      'messages',
      'input',
      'contents',
      'stream',
      'tools',
      'max_tokens',
      'system',
      'tool_choice',
    ),
    fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constant('fuzz'),
      fc.constant([{ role: 'user', content: 'x' }]),
    ),
  );
  const bodies = fc.oneof(
    fc.uint8Array({ maxLength: 2_000 }),
    fc.string({ maxLength: 500 }).map((s) => new TextEncoder().encode(s)),
    fc.jsonValue({ maxDepth: 4 }).map((v) => new TextEncoder().encode(JSON.stringify(v))),
    vocabulary.map((v) => new TextEncoder().encode(JSON.stringify(v))),
  );

  /** A clear answer: a JSON error in the route's format, or (a body that happened to be valid) a real answer. */
  async function expectClearAnswer(format: ClientFormat, res: Response): Promise<void> {
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBeLessThan(500);
    if (res.status >= 400) {
      expectErrorShape(format, text);
      return;
    }
    if ((res.headers.get('content-type') ?? '').includes('event-stream'))
      expect(() => readStream(format, text)).not.toThrow();
    else expect(() => JSON.parse(text)).not.toThrow();
  }

  it('API routes: never a 5xx, never a crash; a JSON error in the route’s own shape', async () => {
    await fc.assert(
      fc.asyncProperty(bodies, fc.constantFrom(...POST_ROUTES), async (body, route) => {
        // Whatever gets through goes to the lenient upstream, so a 5xx could only be the proxy's own.
        const res = await fetch(`${engine.url}${route.path.replace('/ok:', '/fuzz:')}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
          body: new Uint8Array(body),
        });
        await expectClearAnswer(route.format, res);
      }),
      { numRuns: 400 },
    );
    await expectStillServing(engine);
  });

  it('valid requests with one value anywhere in them replaced by arbitrary JSON: an answer or a 4xx, never a 5xx', async () => {
    const mutated = fc
      .constantFrom(...CLIENT_FORMATS)
      .chain((format) =>
        fc.tuple(fc.constant(format), requestOf(format, 'full'), fc.nat(), replacementValue),
      );
    await fc.assert(
      fc.asyncProperty(mutated, async ([format, body, pick, value]) => {
        const broken = replaceOne(
          { ...body, ...(format === 'gemini' ? {} : { model: 'fuzz' }) },
          pick,
          value,
        );
        const stream = (broken as { stream?: unknown }).stream === true;
        const { path, headers } = clientRequest(format, 'fuzz', '', stream);
        const res = await fetch(`${engine.url}${path}`, {
          method: 'POST',
          headers,
          body: JSON.stringify(broken),
        });
        await expectClearAnswer(format, res);
      }),
      { numRuns: 300 },
    );
    await expectStillServing(engine);
  });

  it('management routes: JSON in every answer, a JSON error for what is refused, never a 5xx, config untouched', async () => {
    const config = await readFile(engine.configFile, 'utf8');
    const paths = [
      '/v0/management/rpc/validateConfig',
      '/v0/management/rpc/queryRequests',
      '/v0/management/logins',
      '/v0/management/providers/ok/enabled',
    ];
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 1_000 }), fc.constantFrom(...paths), async (body, path) => {
        const res = await fetch(`${engine.url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${MANAGEMENT_SECRET}`, 'content-type': 'application/json' },
          body: new Uint8Array(body),
        });
        const text = await res.text();
        expect(res.status, text.slice(0, 300)).toBeLessThan(500);
        const json: unknown = JSON.parse(text);
        if (res.status >= 400) expect(at(json, 'error', 'message')).toEqual(expect.any(String));
      }),
      { numRuns: 100 },
    );
    expect(await readFile(engine.configFile, 'utf8')).toBe(config);
    await expectStillServing(engine);
  });
});
