import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountStore } from '../../main/auth/store';
import { parseConfigText } from '../../main/config/loader';
import { buildCli, killAllSpawned, type RunningCli, startCli } from '../helpers/process';
import type { MockUpstream } from '../mocks/common';
import { startMockOpenAI } from '../mocks/openai';
import { MANAGEMENT_SECRET } from './helpers';
import { pause } from './upstream';
import { expectAnswer, send } from './wire';

let dir: string;
let upstream: MockUpstream;
let tokenServer: Server;
let tokenUrl: string;
/** Every access token the token endpoint handed out: a file may hold one of these or its seed, nothing else. */
const issued = new Set<string>();
const ACCOUNTS = ['ann', 'ben', 'cy'];
/** Big files make each write take a while, so a kill is likely to land in the middle of one. */
const PAD = 256 * 1024;

const seedAccount = (name: string) => ({
  format: 'cliproxy-account',
  version: 1,
  account: {
    id: `sub-${name}`,
    provider: 'sub',
    type: 'openai',
    identity: `${name}@example.com`,
    status: 'active',
    // Expiring within the refresh margin: every request refreshes, and every refresh rewrites the file.
    tokens: { access_token: `seed-${name}`, refresh_token: `rt-${name}`, expires_at: Date.now() + 1_000 },
    metadata: {},
    created_at: 1,
    updated_at: 1,
  },
});

const bigComment = `# ${'-'.repeat(78)}\n`.repeat(Math.ceil(PAD / 81));
const configText = () => `${bigComment}port: 0
management_secret: ${MANAGEMENT_SECRET}
auth_dir: ${join(dir, 'auths')}
usage_db: ${join(dir, 'usage.db')}
providers:
  - {name: ok, type: openai, api_key: k, endpoint: "${upstream.url}", models: [{name: gpt-4o-mini, alias: ok}]}
  - {name: spare, type: openai, api_key: k, endpoint: "${upstream.url}", models: [{name: spare-model}]}
  - name: sub
    type: openai
    auth_type: oauth
    endpoint: "${upstream.url}"
    oauth: {client_id: crash-test, token_url: "${tokenUrl}"}
    models: [{name: gpt-4o-mini, alias: sub}]
`;

beforeAll(async () => {
  buildCli();
  dir = await mkdtemp(join(tmpdir(), 'cliproxy-faults-crash-'));
  upstream = await startMockOpenAI({ acceptBearer: () => true });
  let n = 0;
  tokenServer = createServer((req, res) => {
    req.resume();
    const token = `issued-${++n}`;
    issued.add(token);
    // The padding rides in `scope`, which the account file keeps: big files, small headers.
    const scope = `openid ${'s'.repeat(PAD)}`;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        access_token: token,
        token_type: 'Bearer',
        expires_in: 1,
        refresh_token: `rt-${n}`,
        scope,
      }),
    );
  });
  tokenServer.listen(0, '127.0.0.1');
  await once(tokenServer, 'listening');
  tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
});

afterAll(async () => {
  killAllSpawned();
  await upstream.close();
  tokenServer.close();
  await rm(dir, { recursive: true, force: true });
});

/** Keeps config writes (provider toggles) and account writes (token refreshes) going until stopped. */
function keepWriting(
  cli: RunningCli,
  stop: AbortSignal,
): { configWrites: number; accountWrites: () => number } {
  const counts = { configWrites: 0, accountWrites: () => issued.size };
  const toggles = (async () => {
    for (let enabled = false; !stop.aborted; enabled = !enabled) {
      const res = await fetch(`${cli.url}/v0/management/providers/spare/enabled`, {
        method: 'POST',
        headers: { authorization: `Bearer ${MANAGEMENT_SECRET}`, 'content-type': 'application/json' },
        body: JSON.stringify({ enabled }),
      }).catch(() => undefined);
      if (res?.ok) counts.configWrites++;
    }
  })();
  const requests = ACCOUNTS.map(async () => {
    while (!stop.aborted)
      await send(cli.url, 'openai-chat', 'sub', 'refresh me', false).catch(() => undefined);
  });
  void Promise.all([toggles, ...requests]);
  return counts;
}

describe('SIGKILL while the config and account files are being rewritten', () => {
  it('leaves every file whole (old or new content), and the proxy starts and serves again', async () => {
    const configFile = join(dir, 'config.yaml');
    await writeFile(configFile, configText());
    await mkdir(join(dir, 'auths'), { recursive: true });
    for (const name of ACCOUNTS)
      await writeFile(join(dir, 'auths', `sub-${name}.json`), JSON.stringify(seedAccount(name)));

    for (const killAfterMs of [300, 450, 600]) {
      const cli = await startCli(['serve', '--config', configFile]);
      const stop = new AbortController();
      const counts = keepWriting(cli, stop.signal);
      // Both kinds of writes must be under way before the kill; on a loaded machine that takes a while.
      const deadline = Date.now() + 10_000;
      while ((counts.configWrites === 0 || counts.accountWrites() === 0) && Date.now() < deadline)
        await pause(20);
      await pause(killAfterMs / 4);
      cli.signal('SIGKILL');
      expect((await cli.exit()).signal).toBe('SIGKILL');
      stop.abort();
      // The kill landed while both kinds of writes were under way.
      expect(counts.configWrites).toBeGreaterThan(0);
      expect(counts.accountWrites()).toBeGreaterThan(0);

      const config = parseConfigText(await readFile(configFile, 'utf8'));
      expect(config.ok).toBe(true);
      if (config.ok) expect(config.config.providers.map((p) => p.name)).toEqual(['ok', 'spare', 'sub']);
      expect((await readFile(configFile, 'utf8')).startsWith(bigComment)).toBe(true);

      const store = new AccountStore(join(dir, 'auths'));
      await store.load();
      expect(store.problems()).toEqual([]);
      expect(
        store
          .list()
          .map((a) => a.id)
          .sort(),
      ).toEqual(ACCOUNTS.map((name) => `sub-${name}`));
      for (const account of store.list()) {
        const token = account.tokens.access_token;
        expect(
          token.startsWith('seed-') || issued.has(token),
          `${account.id} holds a token never issued`,
        ).toBe(true);
      }
    }

    // Whatever temp files the kills left behind are ignored; the proxy starts and serves as before.
    const leftovers = (await readdir(join(dir, 'auths'))).filter((name) => name.endsWith('.tmp'));
    const cli = await startCli(['serve', '--config', configFile]);
    try {
      expectAnswer(
        'openai-chat',
        await send(cli.url, 'openai-chat', 'ok', 'after the crash', false),
        false,
        'Echo: after the crash',
      );
      expectAnswer(
        'claude',
        await send(cli.url, 'claude', 'sub', 'signed in still', true),
        true,
        'Echo: signed in still',
      );
      const status = (await (
        await fetch(`${cli.url}/v0/management/status`, {
          headers: { authorization: `Bearer ${MANAGEMENT_SECRET}` },
        })
      ).json()) as { configIssues: unknown[]; accountFileProblems: unknown[] };
      expect(status.configIssues).toEqual([]);
      expect(status.accountFileProblems).toEqual([]);
    } finally {
      cli.signal('SIGKILL');
      await cli.exit();
    }
    console.info(`temp files left by the kills (ignored): ${leftovers.length}`);
  }, 30_000);
});
