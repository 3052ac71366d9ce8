import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStillServing, type FaultRig, PAIRS, startFaultRig, viaAlias } from './helpers';
import { answerStream, pause } from './upstream';
import { expectBrokenStream, expectError, send } from './wire';

// An upstream that never goes quiet (a chunk every 100 ms, well inside the idle timeout) but would
// take 4 s: the total timeout of 1 s must cut it.
const PIECES = Array.from({ length: 40 }, (_, i) => ` w${i}`);
const FULL = PIECES.join('');

let rig: FaultRig;

beforeAll(async () => {
  rig = await startFaultRig({ top: 'timeouts: {connect: 500ms, first_byte: 400ms, idle: 400ms, total: 1s}' });
});

afterAll(async () => {
  await rig.stop();
});

describe('an answer that outlasts the total timeout', () => {
  it('every client gets what came so far, then a timeout error in its format; the engine keeps serving', async () => {
    for (const [format, fault] of Object.entries(rig.faults)) {
      const { head, body, tail } = answerStream(format as keyof typeof rig.faults, PIECES);
      fault.use(async ({ request, res, write, signal }) => {
        res.writeHead(200, { 'content-type': request.stream ? 'text/event-stream' : 'application/json' });
        if (request.stream) {
          for (const event of [...head, ...body, ...tail]) {
            await write(event);
            await pause(100, signal);
          }
        } else {
          // JSON allows whitespace before its first value's end: a body that trickles forever.
          await write('{"id":');
          for (let i = 0; i < 40; i++) {
            await pause(100, signal);
            await write(' ');
          }
        }
        res.end();
      });
    }
    const started = Date.now();
    await Promise.all(
      PAIRS.flatMap(([client, upstream]) => [
        send(rig.engine.url, client, viaAlias(upstream, client, true), 'hi', true).then((streamed) => {
          const seen = expectBrokenStream(client, streamed, FULL);
          expect(seen.text.length).toBeGreaterThan(0);
          expect(seen.error).toContain('total timeout');
        }),
        send(rig.engine.url, client, viaAlias(upstream, client), 'hi', false).then((whole) => {
          expect(expectError(client, whole, 504)).toContain('total timeout');
        }),
      ]),
    );
    // Cut, not finished: the engine dropped every upstream call (each would have run for 4 s).
    await pause(100);
    for (const fault of Object.values(rig.faults)) {
      const these = fault.requests.filter((r) => r.receivedAt >= started);
      expect(these.length).toBeGreaterThan(0);
      expect(these.filter((r) => r.abortedAt === undefined)).toEqual([]);
    }
    await expectStillServing(rig.engine);
  });
});
