import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStillServing, type FaultRig, management, PAIRS, startFaultRig, viaAlias } from './helpers';
import { answerStream, pause } from './upstream';
import { expectAnswer, send, type UpstreamFormat } from './wire';

const STREAMS = 1_000;
/**
 * Every answer stops after its first pieces until this many are open at the same moment, however
 * slowly the requests arrive on a busy machine. It stays under what the proxy may have open upstream
 * (256 connections per origin, three origins here), so the latch always opens.
 */
const OPEN_AT_ONCE = 500;
/** Only a safety net: if the latch never opened, the overlap assertion below says so. */
const LATCH_DEADLINE_MS = 15_000;

let rig: FaultRig;
let open = 0;
let mostOpen = 0;
let releaseLatch: () => void = () => undefined;
const latch = new Promise<void>((resolve) => {
  releaseLatch = resolve;
});

beforeAll(async () => {
  rig = await startFaultRig({ top: 'timeouts: {connect: 5s, first_byte: 30s, idle: 30s, total: 60s}' });
  // Each upstream streams back the marker it finds in the request, holding its stream open until
  // OPEN_AT_ONCE streams are open together, so an answer delivered to the wrong client would show.
  for (const [format, fault] of Object.entries(rig.faults)) {
    fault.use(async ({ request, res, write, signal }) => {
      const marker = /req-\d+/.exec(JSON.stringify(request.body))?.[0] ?? 'no-marker';
      const { head, body, tail } = answerStream(format as UpstreamFormat, [
        'Echo ',
        `${marker} `,
        'and ',
        'done',
      ]);
      mostOpen = Math.max(mostOpen, ++open);
      if (mostOpen >= OPEN_AT_ONCE) releaseLatch();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const [i, event] of [...head, ...body, ...tail].entries()) {
        await write(event);
        if (i === 1) await Promise.race([latch, pause(LATCH_DEADLINE_MS, signal)]);
        else await pause(2, signal);
      }
      res.end();
      open--;
    });
  }
});

afterAll(async () => {
  await rig.stop();
});

type UsagePoint = { requests: number; errors: number };

describe('many streams at once', () => {
  it('1,000 concurrent streams over every client × upstream pair all complete, each with its own answer', async () => {
    const sumUsage = async () => {
      const { points } = await management<{ points: UsagePoint[] }>(rig.engine, '/usage?bucket=day');
      return points.reduce(
        (sum, p) => ({ requests: sum.requests + p.requests, errors: sum.errors + p.errors }),
        {
          requests: 0,
          errors: 0,
        },
      );
    };
    const before = await sumUsage();
    const started = Date.now();
    const replies = await Promise.all(
      Array.from({ length: STREAMS }, async (_, i) => {
        const [client, upstream] = PAIRS[i % PAIRS.length] ?? PAIRS[0]!;
        const reply = await send(rig.engine.url, client, viaAlias(upstream, client), `req-${i}`, true);
        return { i, client, reply };
      }),
    );
    const elapsed = Date.now() - started;
    for (const { i, client, reply } of replies) expectAnswer(client, reply, true, `Echo req-${i} and done`);
    const upstreamRequests = Object.values(rig.faults).reduce((n, f) => n + f.requests.length, 0);
    expect(upstreamRequests).toBe(STREAMS);
    // They really overlapped: hundreds of answers were open through the proxy at the same moment
    // (beyond 256 per upstream origin, requests wait for a connection, and still complete).
    expect(mostOpen).toBeGreaterThanOrEqual(OPEN_AT_ONCE);

    // Nothing lost in the request log either: one record per stream, none an error.
    const after = await sumUsage();
    expect(after.requests - before.requests).toBe(STREAMS);
    expect(after.errors - before.errors).toBe(0);
    console.info(
      `${STREAMS} concurrent streams in ${elapsed} ms, at most ${mostOpen} upstream answers open at once`,
    );
    await expectStillServing(rig.engine);
  }, 30_000);
});
