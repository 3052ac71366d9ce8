import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright';
import { startTestEngine, type TestEngine } from '../../test/helpers/engine';
import { type MockUpstream, startMockOpenAI } from '../../test/mocks/openai';
import { startOAuthServer, type TestOAuthServer } from '../../test/oauth/server';
import { CHROMIUM } from './chromium';

export { launchChromium } from './chromium';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const SECRET = 'e2e-management-secret-0123';
export const CLIENT_KEY = 'sk-e2e-client-key-0123456789';
export const UPSTREAM_KEY = 'sk-upstream-e2e';

/** Why the browser suites cannot run on this machine, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  if (!existsSync(CHROMIUM))
    return `${CHROMIUM} is missing (apt-get install chromium, or set CLIPROXY_CHROMIUM)`;
  if (!existsSync(resolve(repoRoot, 'dist/renderer/index.html')))
    return 'dist/renderer is not built (npm run build)';
  return undefined;
}

/**
 * Everything the dashboard talks to, on loopback: an OpenAI-style upstream behind an API-key provider,
 * a second one for the aggregator the tests add through the form and for a subscription's account,
 * the OAuth server that signs that subscription in by device code, and the engine serving /ui.
 */
export interface World {
  engine: TestEngine;
  upstream: MockUpstream;
  aggregator: MockUpstream;
  oauth: TestOAuthServer;
  close(): Promise<void>;
}

export function worldConfig(upstream: string, oauth: TestOAuthServer, subscription: string): string {
  return `management_secret: ${SECRET}
api_keys:
  - {key: ${CLIENT_KEY}, name: e2e-sdk}
providers:
  - name: openai-main
    type: openai
    api_key: ${UPSTREAM_KEY}
    endpoint: "${upstream}"
    models:
      - {name: gpt-4o-mini, alias: mini}
      - {name: gpt-4o}
  - name: team
    type: openai
    auth_type: device_flow
    endpoint: "${subscription}"
    oauth: {client_id: ${oauth.clientId}, device_code_url: "${oauth.deviceCodeUrl}", token_url: "${oauth.tokenUrl}", scopes: [openid, offline_access, email]}
    models: [{name: gpt-team, alias: team}]
  - name: kiro-team
    type: kiro
    auth_type: device_flow
    endpoint: "${subscription}"
`;
}

export async function startWorld(): Promise<World> {
  const oauth = await startOAuthServer();
  const upstream = await startMockOpenAI({ apiKey: UPSTREAM_KEY, models: ['gpt-4o-mini', 'gpt-4o'] });
  // Serves the aggregator (its own key) and the subscription (any signed-in access token).
  const aggregator = await startMockOpenAI({
    acceptBearer: (token) => token === 'sk-aggregator-e2e' || token.length > 40,
  });
  const engine = await startTestEngine(worldConfig(upstream.url, oauth, aggregator.url));
  return {
    engine,
    upstream,
    aggregator,
    oauth,
    async close() {
      await engine.stop();
      await Promise.all([upstream.close(), aggregator.close(), oauth.close()]);
    },
  };
}

/** A fresh tab on the dashboard, past the "Management secret" gate. */
export async function openDashboard(
  browser: Browser,
  engineUrl: string,
  options: { colorScheme?: 'light' | 'dark'; page?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? 'light',
    viewport: { width: 1280, height: 860 },
  });
  // Fail with the locator that did not appear, well before the test's own timeout.
  context.setDefaultTimeout(8_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${engineUrl}/ui/${options.page ? `#/${options.page}` : ''}`);
  await page.getByLabel('Management secret').fill(SECRET);
  await page.getByRole('button', { name: 'Open dashboard' }).click();
  await page.getByRole('navigation', { name: 'Pages' }).waitFor();
  await page.getByText('Loading…').waitFor({ state: 'detached' });
  if (errors.length) throw new Error(`the page threw: ${errors.join('; ')}`);
  return { context, page };
}

/** Goes to a page through the sidebar, as a user would, and waits for its heading. */
export async function goTo(page: Page, title: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: title, exact: true })
    .click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

/** Polls until `probe` returns a value that `done` accepts, or throws with the last value seen. */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await probe();
  }
  return last;
}

export async function modelIds(engineUrl: string): Promise<string[]> {
  const res = await fetch(`${engineUrl}/v1/models`, { headers: { authorization: `Bearer ${CLIENT_KEY}` } });
  const body = (await res.json()) as { data: Array<{ id: string }> };
  return body.data.map((m) => m.id).sort();
}
