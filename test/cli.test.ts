import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createServer, type RequestListener } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ALLOCATOR_TUNABLES,
  NO_RELAUNCH_ENV,
  probeThisProcess,
  relaunchEnvironment,
} from '../main/allocator-relaunch';
import { CONFIG_TEMPLATE } from '../main/config/template';
import { buildCli, killAllSpawned, spawnCli, startCli } from './helpers/process';

let dir: string;

/** Where `serve` relaunches itself: decided by the same function the CLI calls, for this process. */
const relaunchesHere = relaunchEnvironment(probeThisProcess()) !== undefined;

beforeAll(async () => {
  buildCli();
  dir = await mkdtemp(join(tmpdir(), 'cliproxy-cli-'));
});

afterAll(async () => {
  killAllSpawned();
  await rm(dir, { recursive: true, force: true });
});

/** The config text with this run's accounts folder and usage log. */
const withTestPaths = (text: string) =>
  `auth_dir: ${join(dir, 'auths')}\nusage_db: ${join(dir, 'usage.db')}\n${text}`;

async function configFile(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, withTestPaths(text));
  return file;
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Replaces a config file by rename, as editors do. */
async function replaceFile(file: string, text: string): Promise<void> {
  await writeFile(`${file}.tmp`, withTestPaths(text));
  await rename(`${file}.tmp`, file);
}

/** Whether /healthz answers on a port. */
function answers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/healthz`).then(
    (res) => res.ok,
    () => false,
  );
}

/** The CLI serving model `m` from an upstream that `handle` runs, one chat request already in flight. */
async function cliWithRequestInFlight(name: string, handle: RequestListener) {
  const upstream = createServer(handle);
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  const file = await configFile(
    `${name}.yaml`,
    `port: 0\nproviders:\n  - {name: slow, type: openai, api_key: sk-x, endpoint: "http://127.0.0.1:${port}", models: [{name: m}]}\n`,
  );
  const cli = await startCli(['serve', '--config', file]);
  const pending = fetch(`${cli.url}/v1/chat/completions`, {
    method: 'POST',
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
  }).catch((error: Error) => error);
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { cli, pending, upstream };
}

describe('cliproxy serve', () => {
  it('moves the listener when the file changes its port', async () => {
    const [first, second] = [await freePort(), await freePort()];
    const file = await configFile('moves.yaml', `port: ${first}\n`);
    const cli = await startCli(['serve', '--config', file]);
    expect(cli.url).toBe(`http://127.0.0.1:${first}`);
    await replaceFile(file, `port: ${second}\n`);
    await vi.waitFor(async () => expect(await answers(second)).toBe(true), { timeout: 5_000, interval: 50 });
    expect(await answers(first)).toBe(false);
    cli.signal('SIGTERM');
    expect((await cli.exit()).code).toBe(0);
  });

  it('keeps --port over the file on every reload', async () => {
    const [flag, fromFile] = [await freePort(), await freePort()];
    const file = await configFile('flag.yaml', 'port: 0\n');
    const cli = await startCli(['serve', '--config', file, '--port', String(flag)]);
    expect(cli.url).toBe(`http://127.0.0.1:${flag}`);
    await replaceFile(file, `port: ${fromFile}\nrequest_retry: 2\n`);
    // The reload is applied (its other change lands) and the listener stays where the flag put it.
    await vi.waitFor(() => expect(cli.output().stderr).toContain('config applied'), {
      timeout: 5_000,
      interval: 50,
    });
    expect(await answers(flag)).toBe(true);
    expect(await answers(fromFile)).toBe(false);
    cli.signal('SIGTERM');
    expect((await cli.exit()).code).toBe(0);
  });

  it('prints the listening line, serves /healthz and stops on SIGTERM', async () => {
    const file = await configFile('ok.yaml', 'port: 0\n');
    const cli = await startCli(['serve', '--config', file]);
    expect(cli.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${cli.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const started = Date.now();
    cli.signal('SIGTERM');
    const { code } = await cli.exit();
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it.skipIf(!relaunchesHere)(
    'relaunches itself in place on glibc Linux with the allocator tunables, unless asked not to',
    async () => {
      const file = await configFile('relaunch.yaml', 'port: 0\n');
      const environOf = (pid: number | undefined) => readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      const tuned = await startCli(['serve', '--config', file]);
      // The same PID a service manager knows, now running with the tunables.
      expect(environOf(tuned.child.pid)).toContain(`GLIBC_TUNABLES=${ALLOCATOR_TUNABLES}`);
      expect((await fetch(`${tuned.url}/healthz`)).status).toBe(200);
      tuned.signal('SIGTERM');
      expect((await tuned.exit()).code).toBe(0);

      const plain = await startCli(['serve', '--config', file], { [NO_RELAUNCH_ENV]: '1' });
      expect(environOf(plain.child.pid).some((entry) => entry.startsWith('GLIBC_TUNABLES='))).toBe(false);
      plain.signal('SIGTERM');
      expect((await plain.exit()).code).toBe(0);
    },
  );

  it('records requests through the bundled usage writer', async () => {
    const file = await configFile('usage.yaml', 'port: 0\nmanagement_secret: mgmt-secret-0123456789\n');
    const cli = await startCli(['serve', '--config', file]);
    await fetch(`${cli.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'nothing', messages: [] }),
    });
    const page = (await (
      await fetch(`${cli.url}/v0/management/requests`, {
        headers: { authorization: 'Bearer mgmt-secret-0123456789' },
      })
    ).json()) as { items: Array<{ model: string; status: number }> };
    expect(page.items[0]).toMatchObject({ model: 'nothing', status: 404 });
    expect(cli.output().stderr).not.toContain('ExperimentalWarning');
    cli.signal('SIGTERM');
    await cli.exit();
  });

  it('takes --port and --host over the file', async () => {
    const file = await configFile('port.yaml', 'port: 1\nhost: 127.0.0.1\n');
    const cli = await startCli(['serve', '--config', file, '--port', '0', '--host', 'localhost']);
    expect(cli.url).toMatch(/^http:\/\/(127\.0\.0\.1|\[::1\]):\d+$/);
    cli.signal('SIGINT');
    expect((await cli.exit()).code).toBe(0);
  });

  it('lets a request in flight finish after SIGINT, then exits cleanly', async () => {
    const answer = {
      id: 'chatcmpl-late',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'late but whole' }, finish_reason: 'stop' },
      ],
      usage: { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 },
    };
    const { cli, pending, upstream } = await cliWithRequestInFlight('late', (_req, res) => {
      setTimeout(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer)),
        1_000,
      );
    });
    const signalled = Date.now();
    cli.signal('SIGINT');
    const res = await pending;
    if (res instanceof Error) throw res;
    expect(res.status).toBe(200);
    expect(((await res.json()) as typeof answer).choices[0]?.message.content).toBe('late but whole');
    expect((await cli.exit()).code).toBe(0);
    // Done once the answer is out, not at the end of the 4 s grace period.
    expect(Date.now() - signalled).toBeLessThan(3_000);
    upstream.close();
  });

  it('aborts a request still in flight and exits within 5 s of SIGINT', async () => {
    const { cli, pending, upstream } = await cliWithRequestInFlight('hang', () => {
      // never answers
    });
    const started = Date.now();
    cli.signal('SIGINT');
    const { code } = await cli.exit();
    expect(Date.now() - started).toBeLessThan(5_500);
    expect(code).toBe(0); // stopped by the engine's own grace period, not the 5 s forced exit
    expect(await pending).toBeDefined();
    upstream.closeAllConnections();
    upstream.close();
  });

  it('creates ~/.cliproxy/config.yaml from the template on first run and serves no models', async () => {
    const home = join(dir, 'home');
    const cli = await startCli(['serve', '--port', '0'], { HOME: home, USERPROFILE: home });
    const created = join(home, '.cliproxy', 'config.yaml');
    expect(existsSync(created)).toBe(true);
    expect(readFileSync(created, 'utf8')).toBe(CONFIG_TEMPLATE);
    const models = await fetch(`${cli.url}/v1/models`).then((r) => r.json());
    expect(models).toEqual({ object: 'list', data: [] });
    const chat = await fetch(`${cli.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(chat.status).toBe(404);
    const body = (await chat.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('model_not_found');
    expect(body.error.message).toContain('gpt-4o');
    cli.signal('SIGTERM');
    await cli.exit();
  });

  it('refuses a non-loopback host without api_keys', async () => {
    const file = await configFile('open.yaml', 'port: 0\n');
    const run = spawnCli(['serve', '--config', file, '--host', '0.0.0.0']);
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.stderr()).toContain('set api_keys');
  });

  it('refuses an invalid config with file:line:col messages', async () => {
    const file = await configFile('bad.yaml', 'port: 0\nrouting_strategy: random\n');
    const run = spawnCli(['serve', '--config', file]);
    expect((await run.exited).code).toBe(1);
    expect(run.stderr()).toContain(
      `${file}:4:19 routing_strategy: must be one of "round_robin", "fill_first"`,
    );
  });

  it('works through npm run serve as documented', async () => {
    const file = await configFile('npm.yaml', 'port: 0\n');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const cli = await startCli(['--config', file], {}, [npm, ['run', '--silent', 'serve', '--']]);
    expect((await fetch(`${cli.url}/healthz`)).status).toBe(200);
    cli.signal('SIGTERM');
    await cli.exit();
  });
});

describe('cliproxy config check', () => {
  it('says valid and exits 0', async () => {
    const file = await configFile('check-ok.yaml', 'providers:\n  - {name: a, type: openai, api_key: k}\n');
    const run = spawnCli(['config', 'check', file]);
    expect((await run.exited).code).toBe(0);
    expect(run.stdout()).toContain('valid (1 provider)');
  });

  it('prints every error as file:line:col message and exits 1', async () => {
    const file = await configFile(
      'check-bad.yaml',
      'port: -1\nproviders:\n  - name: a\n    type: openai\n    colldown: 5m\n',
    );
    const run = spawnCli(['config', 'check', file]);
    expect((await run.exited).code).toBe(1);
    const lines = run.stdout().trim().split('\n').sort();
    expect(lines).toEqual([
      `${file}:3:7 port: Too small: expected number to be >=0`,
      `${file}:5:5 providers[0].api_key: api_key is required when auth_type is api_key`,
      `${file}:7:5 providers[0].colldown: unknown key "colldown"`,
    ]);
  });

  it('reports a missing file', async () => {
    const run = spawnCli(['config', 'check', join(dir, 'nope.yaml')]);
    expect((await run.exited).code).toBe(1);
    expect(run.stdout()).toContain('file not found');
  });
});

describe('cliproxy login', () => {
  it('prints the sign-in URL, waits for the browser, and stores the account', async () => {
    const { startOAuthServer } = await import('./oauth/server');
    const { FakeBrowser } = await import('./oauth/browser');
    const oauthServer = await startOAuthServer();
    try {
      const file = await configFile(
        'login.yaml',
        `providers:\n  - name: sub\n    type: claude\n    auth_type: oauth\n    oauth: {client_id: ${oauthServer.clientId}, authorize_url: "${oauthServer.authorizeUrl}", token_url: "${oauthServer.tokenUrl}", scopes: [openid, offline_access, email], redirect_port: 0}\n`,
      );
      const run = spawnCli(['login', 'sub', '--no-browser', '--config', file]);
      let url: string | undefined;
      for (let i = 0; i < 200 && !url; i++) {
        url = /(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)/.exec(run.stdout())?.[1];
        if (!url) await new Promise((r) => setTimeout(r, 25));
      }
      expect(url).toBeDefined();
      await new FakeBrowser('ada').run(url ?? '');
      const { code } = await run.exited;
      expect(run.stdout()).toContain('Signed in as ada@example.com');
      expect(code).toBe(0);
      expect(existsSync(join(dir, 'auths', 'sub-ada-example-com.json'))).toBe(true);
    } finally {
      await oauthServer.close();
    }
  });

  it('imports the sign-in Kiro saved, and explains a missing token file', async () => {
    const file = await configFile(
      'login-kiro.yaml',
      'providers:\n  - {name: my-kiro, type: kiro, auth_type: device_flow, endpoint: "http://127.0.0.1:9"}\n',
    );
    const tokenFile = join(dir, 'kiro-auth-token.json');
    await writeFile(
      tokenFile,
      JSON.stringify({ accessToken: 'aoa-cli', refreshToken: 'aor-cli', provider: 'Github' }),
    );
    const run = spawnCli(['login', 'my-kiro', '--import', tokenFile, '--config', file]);
    expect((await run.exited).code).toBe(0);
    expect(run.stdout()).toContain("Imported Kiro's sign-in as Kiro (Github)");
    const saved = readFileSync(join(dir, 'auths', 'my-kiro-kiro-github.json'), 'utf8');
    expect(JSON.parse(saved).account).toMatchObject({ provider: 'my-kiro', identity: 'Kiro (Github)' });

    const missing = spawnCli(['login', 'my-kiro', '--import', join(dir, 'none.json'), '--config', file]);
    expect((await missing.exited).code).toBe(1);
    expect(missing.stderr()).toContain(`Cannot import: no Kiro token file at ${join(dir, 'none.json')}`);
  });

  it('signs in through the proxy_url of the config', async () => {
    const { startOAuthServer } = await import('./oauth/server');
    const { FakeBrowser } = await import('./oauth/browser');
    const { startForwardProxy } = await import('./helpers/forward-proxy');
    const oauthServer = await startOAuthServer();
    const proxy = await startForwardProxy();
    try {
      const file = await configFile(
        'login-proxy.yaml',
        `proxy_url: "${proxy.url}"\nproviders:\n  - name: sub\n    type: claude\n    auth_type: oauth\n    oauth: {client_id: ${oauthServer.clientId}, authorize_url: "${oauthServer.authorizeUrl}", token_url: "${oauthServer.tokenUrl}", scopes: [openid, offline_access, email], redirect_port: 0}\n`,
      );
      const run = spawnCli(['login', 'sub', '--no-browser', '--config', file]);
      let url: string | undefined;
      for (let i = 0; i < 200 && !url; i++) {
        url = /(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)/.exec(run.stdout())?.[1];
        if (!url) await new Promise((r) => setTimeout(r, 25));
      }
      await new FakeBrowser('grace').run(url ?? '');
      expect((await run.exited).code).toBe(0);
      expect(proxy.paths).toContain(new URL(oauthServer.tokenUrl).pathname);
    } finally {
      proxy.close();
      await oauthServer.close();
    }
  });

  it('explains an unknown provider', async () => {
    const file = await configFile('login-none.yaml', 'providers: []\n');
    const run = spawnCli(['login', 'nope', '--config', file]);
    expect((await run.exited).code).toBe(1);
    expect(run.stderr()).toContain('no provider named "nope"');
  });
});
