import { createHash } from 'node:crypto';
import { type IncomingMessage, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStillServing, type FaultRig, pairName, startFaultRig, viaAlias } from './helpers';
import { answerStream, pause } from './upstream';
import { type ClientFormat, clientRequest, readStream, type UpstreamFormat } from './wire';

const MB = 1024 * 1024;
const PIECE = 64 * 1024;
// Loopback receive buffers autotune up to net.ipv4.tcp_rmem's maximum (32 MB on the CI machine), on
// both the engine's upstream socket and the client's: a flood that kernel buffers could mostly absorb
// would not show whether the engine holds the upstream back. 41 MB were in flight in one run.
const TOTAL = 96 * MB;
const piece = (i: number) => `${String(i).padStart(5, '0')}:`.padEnd(PIECE, 'z');
const expectedDigest = (() => {
  const hash = createHash('sha256');
  for (let i = 0; i < TOTAL / PIECE; i++) hash.update(piece(i));
  return hash.digest('hex');
})();

let rig: FaultRig;

beforeAll(async () => {
  rig = await startFaultRig({ top: 'timeouts: {connect: 1s, first_byte: 10s, idle: 10s, total: 60s}' });
  // Each upstream writes 96 MB as fast as its socket lets it, waiting for drain when it pushes back.
  for (const [format, fault] of Object.entries(rig.faults)) {
    fault.use(async ({ res, write }) => {
      const { head, tail } = answerStream(format as UpstreamFormat, []);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const event of head) await write(event);
      for (let i = 0; i < TOTAL / PIECE; i++)
        await write(answerStream(format as UpstreamFormat, [piece(i)]).body[0] ?? '');
      for (const event of tail) await write(event);
      res.end();
    });
  }
});

afterAll(async () => {
  await rig.stop();
});

/** Starts the request and stops reading the answer as soon as its headers arrive. */
function openPaused(url: string, client: ClientFormat, model: string): Promise<IncomingMessage> {
  const { path, headers, body } = clientRequest(client, model, 'flood me', true);
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'POST', headers }, (res) => {
      res.pause();
      resolve(res);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Waits until the upstream's written byte count stops moving: it is blocked on drain. */
async function writtenWhenBlocked(upstream: UpstreamFormat): Promise<number> {
  let last = -1;
  for (let i = 0; i < 60; i++) {
    await pause(100);
    const now = rig.faults[upstream].bytesWritten;
    if (now === last) return now;
    last = now;
  }
  throw new Error('the upstream never stopped writing');
}

const retained = () => {
  globalThis.gc?.();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

describe('a client that reads slowly', () => {
  // Responses clients are left out on purpose: that format's closing events repeat the whole text,
  // so its encoder must keep the answer however slowly the client reads.
  const pairs: Array<[ClientFormat, UpstreamFormat]> = [
    ['openai-chat', 'openai-chat'],
    ['claude', 'gemini'],
    ['gemini', 'claude'],
  ];

  it.each(pairs.map((pair) => [pairName(pair), ...pair] as const))(
    '%s: the upstream is held back by backpressure, memory stays bounded, and the answer arrives whole',
    async (_name, client, upstream) => {
      const fault = rig.faults[upstream];
      const writtenBefore = fault.bytesWritten;
      const blockedBefore = fault.blockedWrites;
      const memoryBefore = retained();

      const res = await openPaused(rig.engine.url, client, viaAlias(upstream, client));
      const held = (await writtenWhenBlocked(upstream)) - writtenBefore;
      const grown = retained() - memoryBefore;
      expect(fault.blockedWrites).toBeGreaterThan(blockedBefore);
      // Loopback socket buffers autotune to tens of MB per side (see TOTAL), and a translation that
      // shrinks the answer (Claude's verbose events → Gemini chunks) needs more upstream bytes to fill
      // them; the bound that matters is that the upstream stopped well short of the whole answer, and
      // memory.
      expect(held).toBeLessThan(TOTAL * 0.75);
      expect(grown).toBeLessThan(16 * MB);

      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.resume();
      await new Promise((resolve) => res.on('end', resolve));
      const seen = readStream(client, Buffer.concat(chunks).toString('utf8'));
      expect(seen.error).toBeUndefined();
      expect(seen.finished).toBe(true);
      expect(seen.text.length).toBe(TOTAL);
      expect(createHash('sha256').update(seen.text).digest('hex')).toBe(expectedDigest);
      console.info(
        `${client} ← ${upstream}: ${(held / MB).toFixed(1)} MB in flight while blocked, ${(grown / MB).toFixed(1)} MB retained`,
      );
    },
  );

  it('still serves others afterwards', async () => {
    await expectStillServing(rig.engine);
  });
});
