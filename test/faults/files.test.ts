import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../shared/status';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import type { MockUpstream } from '../mocks/common';
import { startMockOpenAI } from '../mocks/openai';
import { expectStillServing, MANAGEMENT_SECRET, management } from './helpers';
import { answerStream, type FaultUpstream, pause, startFaultUpstream } from './upstream';
import { CLIENT_FORMATS, expectAnswer, send } from './wire';

const SLOW_PIECES = Array.from({ length: 8 }, (_, i) => `part${i} `);
const SLOW_TEXT = SLOW_PIECES.join('');

let dir: string;
let healthy: MockUpstream;
let slow: FaultUpstream;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cliproxy-faults-files-'));
  healthy = await startMockOpenAI({ acceptBearer: () => true });
  // Streams that take a while, so some are in flight whenever a file goes bad.
  slow = await startFaultUpstream(async ({ res, write }) => {
    const { head, body, tail } = answerStream('openai-chat', SLOW_PIECES);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const event of [...head, ...body, ...tail]) {
      await write(event);
      await pause(30);
    }
    res.end();
  });
});

afterAll(async () => {
  await healthy.close();
  await slow.close();
  await rm(dir, { recursive: true, force: true });
});

const baseConfig = (extra = '') => `management_secret: ${MANAGEMENT_SECRET}
usage_db: ${join(dir, 'usage.db')}
providers:
  - {name: ok, type: openai, api_key: k, endpoint: "${healthy.url}", models: [{name: gpt-4o-mini, alias: ok}]}
  - {name: slow, type: openai, api_key: k, endpoint: "${slow.url}", models: [{name: s, alias: slow}]}
${extra}`;

/** Puts raw bytes in place of the config (by rename, as editors save) and waits for the engine to react. */
async function replaceConfig(
  engine: TestEngine,
  content: string | Uint8Array<ArrayBuffer>,
): Promise<EngineStatus> {
  const before = engine.services.engine.status();
  const temp = `${engine.configFile}.${Date.now()}.tmp`;
  await writeFile(temp, content);
  await rename(temp, engine.configFile);
  for (let i = 0; i < 150; i++) {
    const now = engine.services.engine.status();
    if (now.loadedAt !== before.loadedAt || now.configIssues !== before.configIssues) return now;
    await pause(20);
  }
  return engine.services.engine.status();
}

describe('config.yaml replaced with garbage while serving', () => {
  let engine: TestEngine;

  beforeAll(async () => {
    engine = await startTestEngine(baseConfig());
  });

  afterAll(async () => {
    await engine.stop();
  });

  it.each([
    ['random bytes', new Uint8Array(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256))],
    ['a YAML syntax error', 'providers: [ {name: ok, type: openai\nport: : :\n'],
    ['valid YAML of the wrong shape', 'providers: 5\nport: banana\n'],
    ['a list instead of a mapping', '- one\n- two\n'],
    ['an empty file (a save cut short)', ''],
  ])(
    '%s: the last good config keeps serving, in-flight streams finish, status names the issue',
    async (_name, garbage) => {
      const loadedAt = engine.services.engine.status().loadedAt;
      const inFlight = CLIENT_FORMATS.map((format) => send(engine.url, format, 'slow', 'hi', true));
      await pause(50);
      const status = await replaceConfig(engine, garbage);
      expect(status.loadedAt).toBe(loadedAt);
      expect(status.configIssues.length).toBeGreaterThan(0);
      expect(status.configIssues[0]?.message).toEqual(expect.any(String));
      expect((await management<EngineStatus>(engine, '/status')).configIssues).toEqual(status.configIssues);

      const replies = await Promise.all(inFlight);
      for (const [i, reply] of replies.entries())
        expectAnswer(CLIENT_FORMATS[i] ?? 'openai-chat', reply, true, SLOW_TEXT);
      await expectStillServing(engine);

      // A good file again: applied, and the issue is gone.
      const fixed = await replaceConfig(engine, baseConfig(`# fixed ${Date.now()}`));
      expect(fixed.configIssues).toEqual([]);
      expect(fixed.loadedAt).toBeGreaterThan(loadedAt);
    },
  );
});

describe('usage log on a disk that fills up', () => {
  let engine: TestEngine;

  beforeAll(async () => {
    engine = await startTestEngine(baseConfig());
  });

  afterAll(async () => {
    await engine.stop();
  });

  const recorded = async () =>
    (await management<{ points: Array<{ requests: number }> }>(engine, '/usage?bucket=day')).points.reduce(
      (n, p) => n + p.requests,
      0,
    );

  it('proxying goes on, status.usageLogError says why, and the held records land once space returns', async () => {
    const store = engine.services.usage.store;
    if (!store) throw new Error('the usage store did not open');
    for (let i = 0; i < 5; i++)
      expectAnswer('openai-chat', await send(engine.url, 'openai-chat', 'ok', 'x', false), false, 'Echo: x');
    const before = await recorded();

    // SQLite's own "disk full": the database may not grow by a single page.
    await store.execInWriter('PRAGMA max_page_count = 1');
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const format = CLIENT_FORMATS[i % 4] ?? 'openai-chat';
        expectAnswer(
          format,
          await send(engine.url, format, 'ok', `full ${i}`, i % 2 === 0),
          i % 2 === 0,
          `Echo: full ${i}`,
        );
      }),
    );
    await store.settle();
    const status = await management<EngineStatus>(engine, '/status');
    expect(status.usageLogError).toMatch(/full/i);
    expect(engine.logs.join('\n')).not.toContain(MANAGEMENT_SECRET);

    await store.execInWriter('PRAGMA max_page_count = 1073741823');
    expectAnswer('claude', await send(engine.url, 'claude', 'ok', 'back', false), false, 'Echo: back');
    await store.settle();
    expect((await management<EngineStatus>(engine, '/status')).usageLogError).toBeNull();
    expect(await recorded()).toBe(before + 201);
  });

  it('a usage_db that cannot be opened at all: the proxy serves and says so in status', async () => {
    const blocker = join(dir, 'not-a-directory');
    await writeFile(blocker, 'a file where a directory should be');
    const other = await startTestEngine(
      baseConfig().replace(/^usage_db: .*$/m, `usage_db: ${join(blocker, 'usage.db')}`),
    );
    try {
      expect(other.services.engine.status().usageLogError).toContain('could not be opened');
      await expectStillServing(other);
      expect(other.logs.some((line) => line.includes('usage log unavailable'))).toBe(true);
    } finally {
      await other.stop();
    }
  });
});

describe('an account file corrupted while serving', () => {
  let engine: TestEngine;
  const authDir = () => join(dir, 'auths');
  const account = (name: string) => ({
    format: 'cliproxy-account',
    version: 1,
    account: {
      id: `sub-${name}`,
      provider: 'sub',
      type: 'openai',
      identity: `${name}@example.com`,
      status: 'active',
      tokens: { access_token: `token-of-${name}-0123456789abcdef` },
      metadata: {},
      created_at: 1,
      updated_at: 1,
    },
  });
  const writeAccount = (name: string, text: string) => writeFile(join(authDir(), `sub-${name}.json`), text);

  beforeAll(async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(authDir(), { recursive: true });
    for (const name of ['alice', 'bob']) await writeAccount(name, JSON.stringify(account(name)));
    engine = await startTestEngine(
      `auth_dir: ${authDir()}\nrouting_strategy: round_robin\n${baseConfig()}` +
        `  - {name: sub, type: openai, auth_type: oauth, endpoint: "${healthy.url}", models: [{name: gpt-4o-mini, alias: sub}]}\n`,
    );
  });

  afterAll(async () => {
    await engine.stop();
  });

  const tokensUsed = async (requests: number) => {
    const start = healthy.requests.length;
    for (let i = 0; i < requests; i++)
      expectAnswer(
        'openai-chat',
        await send(engine.url, 'openai-chat', 'sub', 'who', false),
        false,
        'Echo: who',
      );
    return new Set(healthy.requests.slice(start).map((r) => String(r.headers.authorization)));
  };

  const waitForStatus = async (check: (status: EngineStatus) => boolean) => {
    for (let i = 0; i < 100; i++) {
      const status = await management<EngineStatus>(engine, '/status');
      if (check(status)) return status;
      await pause(30);
    }
    throw new Error('status never changed');
  };

  it('that account stops serving with a reason in status; the other keeps serving; repair brings it back', async () => {
    expect(await tokensUsed(4)).toEqual(
      new Set(['Bearer token-of-alice-0123456789abcdef', 'Bearer token-of-bob-0123456789abcdef']),
    );

    const original = await readFile(join(authDir(), 'sub-bob.json'), 'utf8');
    await writeAccount('bob', original.slice(0, 40));
    const status = await waitForStatus((s) => s.accountFileProblems.length > 0);
    expect(status.accountFileProblems).toEqual([
      { file: 'sub-bob.json', reason: expect.stringContaining('not valid JSON') },
    ]);
    expect(await tokensUsed(4)).toEqual(new Set(['Bearer token-of-alice-0123456789abcdef']));
    expect(JSON.stringify(status)).not.toContain('token-of-');

    await writeAccount('bob', original);
    await waitForStatus((s) => s.accountFileProblems.length === 0);
    expect((await tokensUsed(4)).size).toBe(2);
    await expectStillServing(engine);
  });
});
