import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStillServing, type FaultRig, pairName, startFaultRig, viaAlias } from './helpers';
import { answer, answerBody } from './upstream';
import { type ClientFormat, expectError, readAnswer, readStream, send, type UpstreamFormat } from './wire';

const MB = 1024 * 1024;
/** 20 MB of text in 320 pieces of 64 KB, each piece distinct so a lost or repeated one shows. */
const PIECES = Array.from({ length: 320 }, (_, i) => `${String(i).padStart(4, '0')}:`.padEnd(64 * 1024, 'x'));
const FULL = PIECES.join('');
const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Every client format in both modes, and every upstream decoder at least once per mode, including
 * the three same-format relays; a full 12 × 2 matrix would repeat the same code paths for 20 s.
 */
const WHOLE: Array<[ClientFormat, UpstreamFormat]> = [
  ['openai-chat', 'openai-chat'],
  ['openai-responses', 'claude'],
  ['claude', 'gemini'],
  ['gemini', 'openai-chat'],
];
const STREAMED: Array<[ClientFormat, UpstreamFormat]> = [
  ['openai-chat', 'gemini'],
  ['openai-responses', 'openai-chat'],
  ['claude', 'claude'],
  ['gemini', 'gemini'],
];

let rig: FaultRig;

beforeAll(async () => {
  rig = await startFaultRig({ top: 'timeouts: {connect: 1s, first_byte: 10s, idle: 10s, total: 60s}' });
  for (const [format, fault] of Object.entries(rig.faults)) fault.use(answer(format as never, PIECES));
});

afterAll(async () => {
  await rig.stop();
});

describe('huge answers arrive whole', () => {
  it.each(WHOLE.map((pair) => [pairName(pair), ...pair] as const))(
    '20 MB as one JSON answer, %s',
    async (_name, client, upstream) => {
      const whole = await send(rig.engine.url, client, viaAlias(upstream, client), 'big', false);
      expect(whole.status).toBe(200);
      const text = readAnswer(client, whole.text);
      expect(text.length).toBe(FULL.length);
      expect(digest(text)).toBe(digest(FULL));
    },
  );

  it.each(STREAMED.map((pair) => [pairName(pair), ...pair] as const))(
    '20 MB as a stream of 64 KB pieces, %s',
    async (_name, client, upstream) => {
      const streamed = await send(rig.engine.url, client, viaAlias(upstream, client, true), 'big', true);
      expect(streamed.status).toBe(200);
      const seen = readStream(client, streamed.text);
      expect(seen.error).toBeUndefined();
      expect(seen.finished).toBe(true);
      expect(seen.text.length).toBe(FULL.length);
      expect(digest(seen.text)).toBe(digest(FULL));
    },
  );

  it('an answer over the 64 MB cap is refused with 502 in the client format, not cut', async () => {
    const oversized = 'y'.repeat(65 * MB);
    const cases = [
      ['openai-chat', 'openai-chat'],
      ['claude', 'gemini'],
    ] as const;
    for (const [, upstream] of cases) {
      const body = JSON.stringify(answerBody(upstream, oversized));
      rig.faults[upstream].use(({ res }) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      });
    }
    for (const [client, upstream] of cases) {
      const reply = await send(rig.engine.url, client, viaAlias(upstream, client), 'too big', false);
      expect(expectError(client, reply, 502)).toContain('larger than 64 MB');
    }
    await expectStillServing(rig.engine);
  });
});
