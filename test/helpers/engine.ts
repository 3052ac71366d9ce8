import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, Redactor } from '../../main/log';
import { type Services, startServices } from '../../main/services';

export interface TestEngine {
  url: string;
  /** The home directory tools are connected in (a temp dir). */
  home: string;
  services: Services;
  configFile: string;
  /** Every log line the engine wrote (already redacted, as a user would see it). */
  logs: string[];
  /** Replaces the config file by rename (as editors do) and waits until the engine applied it. */
  rewriteConfig(text: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestEngine(configText: string): Promise<TestEngine> {
  const dir = await mkdtemp(join(tmpdir(), 'cliproxy-engine-'));
  const configFile = join(dir, 'config.yaml');
  // Accounts and the usage log go to a temp dir unless the test says otherwise, never into the home.
  const withAuthDir = (text: string) => {
    const withUsage = /^usage_db:/m.test(text) ? text : `usage_db: ${join(dir, 'usage.db')}\n${text}`;
    return /^auth_dir:/m.test(withUsage) ? withUsage : `auth_dir: ${join(dir, 'auths')}\n${withUsage}`;
  };
  await writeFile(configFile, withAuthDir(configText));
  const logs: string[] = [];
  const redactor = new Redactor();
  const logger = createLogger({ level: 'debug', redactor, write: (line) => logs.push(line) });
  // Tool configs (~/.claude, ~/.codex) written by "Connect tools" land in the temp dir too.
  const services = await startServices({
    configPath: configFile,
    overrides: { port: 0 },
    logger,
    redactor,
    home: join(dir, 'home'),
  });
  const url = services.engine.url() ?? '';
  return {
    url,
    home: join(dir, 'home'),
    services,
    configFile,
    logs,
    async rewriteConfig(text: string) {
      const before = services.engine.state.loadedAt;
      const issuesBefore = services.engine.status().configIssues;
      const temp = join(dir, `.config.${Date.now()}.tmp`);
      await writeFile(temp, withAuthDir(text));
      await rename(temp, configFile);
      const deadline = Date.now() + 3_000;
      while (
        services.engine.state.loadedAt === before &&
        services.engine.status().configIssues === issuesBefore &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      await services.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Signs in through the management API the way the UI does: start the login, let the scripted
 * browser (or the caller's approve step) finish it, then poll until the login is no longer pending.
 */
export async function signInThroughApi(
  engine: TestEngine,
  secret: string,
  provider: string,
  complete: (login: {
    id: string;
    kind: string;
    url?: string;
    user_code?: string;
    verification_uri?: string;
  }) => Promise<void>,
  timeoutMs = 10_000,
): Promise<{
  status: string;
  account?: { id: string; identity: string; metadata: Record<string, string> };
  error?: string;
}> {
  const headers = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
  const started = await fetch(`${engine.url}/v0/management/logins`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ provider }),
  });
  if (started.status !== 201)
    throw new Error(`login did not start: ${started.status} ${await started.text()}`);
  const login = (await started.json()) as { id: string; kind: string; url?: string; user_code?: string };
  await complete(login);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = (await (
      await fetch(`${engine.url}/v0/management/logins/${login.id}`, { headers })
    ).json()) as {
      status: string;
      account?: { id: string; identity: string; metadata: Record<string, string> };
    };
    if (state.status !== 'pending' || Date.now() > deadline) return state;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
