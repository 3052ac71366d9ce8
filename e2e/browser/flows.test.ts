import { readFile } from 'node:fs/promises';
import OpenAI from 'openai';
import type { Browser, BrowserContext, Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_KEY,
  chromiumMissing,
  eventually,
  goTo,
  launchChromium,
  modelIds,
  openDashboard,
  startWorld,
  type World,
} from './harness';

const skip = chromiumMissing();
if (skip) console.warn(`e2e/browser skipped: ${skip}`);

describe.skipIf(skip)('the dashboard in Chromium, against the headless engine', () => {
  let world: World;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let sdk: OpenAI;

  beforeAll(async () => {
    [world, browser] = await Promise.all([startWorld(), launchChromium()]);
    sdk = new OpenAI({ baseURL: `${world.engine.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
  }, 60_000);

  afterEach(async () => {
    await context?.close();
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('turns a provider off and on, and /v1/models follows', async () => {
    ({ context, page } = await openDashboard(browser, world.engine.url));
    await goTo(page, 'Providers');
    expect(await modelIds(world.engine.url)).toEqual(expect.arrayContaining(['mini', 'gpt-4o']));
    const toggle = page.getByRole('switch', { name: 'Enable openai-main' });
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    await toggle.click();
    const off = await eventually(
      () => modelIds(world.engine.url),
      (ids) => !ids.includes('mini'),
    );
    expect(off).not.toContain('gpt-4o');
    expect(await readFile(world.engine.configFile, 'utf8')).toMatch(/enabled: false/);
    await toggle.click();
    await eventually(
      () => modelIds(world.engine.url),
      (ids) => ids.includes('mini') && ids.includes('gpt-4o'),
    );
    await page.getByRole('switch', { name: 'Enable openai-main', checked: true }).waitFor();

    const card = page.getByRole('article', { name: 'openai-main' });
    await card.getByLabel('Priority').fill('5');
    await card.getByLabel('Priority').press('Enter');
    await eventually(
      () => readFile(world.engine.configFile, 'utf8'),
      (text) => /priority: 5/.test(text),
    );

    // A health check on demand: the engine asks the upstream's models list, the badge follows.
    const listed = world.upstream.requests.filter((r) => r.path === '/v1/models').length;
    await card.getByRole('button', { name: 'Check openai-main now' }).click();
    await card.getByText(/^Healthy · /).waitFor();
    expect(world.upstream.requests.filter((r) => r.path === '/v1/models').length).toBe(listed + 1);
  });

  it('adds an aggregator through the form, and the OpenAI SDK uses it', async () => {
    ({ context, page } = await openDashboard(browser, world.engine.url));
    await goTo(page, 'Providers');
    await page.getByRole('button', { name: 'Add provider' }).click();
    const form = page.getByRole('form', { name: 'Add a provider' });
    // Inline validation first: a bad URL is named at its field and nothing is sent.
    await form.getByLabel('Name', { exact: true }).fill('aggregator');
    await form.getByLabel('API key').fill('sk-aggregator-e2e');
    await form.getByLabel('Endpoint URL').fill('not a url');
    await form.getByRole('button', { name: 'Add provider' }).click();
    expect(await form.getByLabel('Endpoint URL').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Endpoint URL').fill(`${world.aggregator.url}/v1`);
    await form.getByLabel('Models').fill('meta-llama/llama-3-70b as llama');
    await form.getByRole('button', { name: 'Add provider' }).click();
    await page.getByText('Added aggregator to config.yaml').waitFor();
    await page.getByRole('heading', { name: 'aggregator', level: 2 }).waitFor();
    await eventually(
      () => modelIds(world.engine.url),
      (ids) => ids.includes('llama'),
    );

    const answer = await sdk.chat.completions.create({
      model: 'llama',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    expect(answer.choices[0]?.message.content).toBeTruthy();
    const forwarded = world.aggregator.requests.at(-1);
    expect(forwarded?.headers.authorization).toBe('Bearer sk-aggregator-e2e');
    expect(forwarded?.body).toMatchObject({ model: 'meta-llama/llama-3-70b' });
  });

  it('signs in to a subscription by device code in a browser tab, then serves with it', async () => {
    ({ context, page } = await openDashboard(browser, world.engine.url));
    await goTo(page, 'Accounts');
    await page.getByRole('button', { name: 'Sign in to team' }).click();
    const code = (await page.getByLabel('Device code', { exact: true }).textContent())?.trim() ?? '';
    expect(code).toMatch(/\w{4}/);
    await page.getByText(/Code expires in \d+m \d\ds/).waitFor();

    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('link', { name: 'Open the sign-in page' }).click(),
    ]);
    const trail: string[] = [];
    await approveDevice(popup, code, 'grace', trail);
    // The engine polls the token endpoint at the server's interval (5 s), then the outcome is pushed.
    await page
      .getByText('Signed in as grace@example.com', { exact: false })
      .waitFor({ timeout: 25_000 })
      .catch(async (error: Error) => {
        throw new Error(
          `${error.message}\nthe page said: ${await page.locator('main').innerHTML()}\nthe tab: ${trail.join(' → ')}`,
        );
      });
    await page.getByText('grace@example.com').first().waitFor();

    const answer = await sdk.chat.completions.create({
      model: 'team',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(answer.choices[0]?.message.content).toBeTruthy();
    expect(world.aggregator.requests.at(-1)?.body).toMatchObject({ model: 'gpt-team' });
  }, 45_000);

  it('imports a Kiro token file picked on the Accounts page, and lists the account', async () => {
    ({ context, page } = await openDashboard(browser, world.engine.url));
    await goTo(page, 'Accounts');
    const section = page.getByRole('region', { name: /^kiro-team/ });
    await section.getByText(/^No account yet\. Sign in, or import/).waitFor();
    await section.locator('input[type=file]').setInputFiles({
      name: 'kiro-auth-token.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"refreshToken":"aor-e2e"}'),
    });
    expect(await section.getByRole('alert').textContent()).toBe(
      'not a Kiro token file: accessToken is missing',
    );
    await section.locator('input[type=file]').setInputFiles({
      name: 'kiro-auth-token.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        JSON.stringify({ accessToken: 'aoa-e2e-token', refreshToken: 'aor-e2e', provider: 'Github' }),
      ),
    });
    await section.getByRole('status').getByText('Imported Kiro (Github).').waitFor();
    await section.getByText('Kiro (Github)', { exact: true }).waitFor();
    expect(await page.locator('main').innerHTML()).not.toContain('aoa-e2e-token');
  });

  it('shows a request made with the SDK in the live log within a second, with its tokens', async () => {
    ({ context, page } = await openDashboard(browser, world.engine.url));
    await goTo(page, 'Requests');
    const answer = await sdk.chat.completions.create({
      model: 'mini',
      messages: [{ role: 'user', content: 'Count to three, please' }],
    });
    const answeredAt = Date.now();
    const row = page.getByRole('row').filter({ hasText: 'mini' }).filter({ hasText: 'e2e-sdk' }).first();
    await row.waitFor({ timeout: 1_000 });
    const seenAfterMs = Date.now() - answeredAt;
    expect(seenAfterMs).toBeLessThan(1_000);
    const usage = answer.usage;
    expect(usage).toBeDefined();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('gpt-4o-mini');
    expect(text).toContain('openai-main');
    expect(text).toContain(`${usage?.prompt_tokens} / ${usage?.completion_tokens}`);

    // The detail drawer lists every attempt.
    await row.getByRole('link').click();
    const drawer = page.getByRole('dialog');
    await drawer.waitFor();
    expect(await drawer.textContent()).toMatch(/Attempt/i);
    await page.keyboard.press('Escape');

    // A slow stream shows in flight while it runs, then moves to the log.
    const chunk = (content: string, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: 'chatcmpl-slow', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;
    world.upstream.enqueue({
      status: 200,
      sse: [chunk('one '), chunk('two '), chunk('three', 'stop'), 'data: [DONE]\n\n'],
      delayMs: 700,
    });
    const slow = sdk.chat.completions.create({
      model: 'mini',
      stream: true,
      messages: [{ role: 'user', content: 'slowly' }],
    });
    const inFlight = page.getByRole('table', { name: 'Requests in flight' });
    await inFlight.getByRole('row').filter({ hasText: 'mini' }).filter({ hasText: 'stream' }).waitFor();
    let streamed = '';
    for await (const part of await slow) streamed += part.choices[0]?.delta.content ?? '';
    expect(streamed).toBe('one two three');
    await inFlight.waitFor({ state: 'detached' });

    // CSV export: a download holding that request.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('cliproxy-requests.csv');
    const csv = await readFile((await download.path()) ?? '', 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^id,started_at,client_key,/);
    expect(csv).toMatch(/,e2e-sdk,openai-chat,mini,gpt-4o-mini,openai-main,/);
  });

  it('marks a config syntax error at its line and does not save it; the fix saves and takes effect', async () => {
    ({ context, page } = await openDashboard(browser, world.engine.url));
    await goTo(page, 'Config');
    const editor = page.locator('.cm-content');
    await editor.waitFor();
    const onDisk = await readFile(world.engine.configFile, 'utf8');
    const lines = onDisk.split('\n');
    const aliasLine = lines.findIndex((l) => l.includes('alias: mini'));
    expect(aliasLine).toBeGreaterThan(0);

    const broken = [...lines];
    // An unclosed quote: a syntax error whatever style the earlier edits left this line in.
    broken[aliasLine] = broken[aliasLine]?.replace('alias: mini', 'alias: "mini') ?? '';
    await replaceEditorText(page, broken.join('\n'));
    // The editor marks the problem; the Problems list names the line.
    await page.locator('.cm-lint-marker-error').first().waitFor({ state: 'attached' });
    const problems = page.getByRole('region', { name: 'Problems' });
    await problems.waitFor();
    expect(await problems.textContent()).toMatch(/Line \d+/);
    const markedLine = Number(/Line (\d+)/.exec((await problems.textContent()) ?? '')?.[1]);
    expect(Math.abs(markedLine - (aliasLine + 1))).toBeLessThanOrEqual(1);

    await page.getByRole('button', { name: 'Review and save' }).click();
    await page.getByRole('button', { name: 'Save and apply' }).click();
    await page.getByText(/Not saved: the config has \d+ problem/).waitFor();
    expect(await readFile(world.engine.configFile, 'utf8')).toBe(onDisk);

    const fixed = [...lines];
    fixed[aliasLine] = fixed[aliasLine]?.replace('alias: mini', 'alias: small') ?? '';
    await replaceEditorText(page, fixed.join('\n'));
    await problems.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Review and save' }).click();
    // The review shows the file on disk beside what would be saved, the changed line marked on both.
    const onDiskSide = page.getByRole('textbox', { name: 'config.yaml on disk' });
    const toSaveSide = page.getByRole('textbox', { name: 'config.yaml to save' });
    expect(await onDiskSide.locator('.cm-changedLine').allTextContents()).toEqual([
      expect.stringContaining('alias: mini'),
    ]);
    expect(await toSaveSide.locator('.cm-changedLine').allTextContents()).toEqual([
      expect.stringContaining('alias: small'),
    ]);
    await page.getByRole('button', { name: 'Save and apply' }).click();
    await page.getByText('Saved. The engine applies it').waitFor();
    expect(await readFile(world.engine.configFile, 'utf8')).toContain('alias: small');
    const ids = await eventually(
      () => modelIds(world.engine.url),
      (list) => list.includes('small'),
    );
    expect(ids).not.toContain('mini');

    // Revert drops an unsaved edit: the editor is back to the file, nothing is left to save.
    const saved = await readFile(world.engine.configFile, 'utf8');
    await replaceEditorText(page, `${saved}\n# scratch edit\n`);
    await page.getByText('Unsaved changes').waitFor();
    await page.getByRole('button', { name: 'Revert' }).click();
    await page.getByText('Unsaved changes').waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: 'Revert' }).isDisabled()).toBe(true);
    expect(await page.locator('.cm-content').textContent()).not.toContain('scratch edit');
    expect(await readFile(world.engine.configFile, 'utf8')).toBe(saved);
  });

  it('sets how long request records are kept from Settings, into config.yaml', async () => {
    ({ context, page } = await openDashboard(browser, world.engine.url));
    await goTo(page, 'Settings');
    const days = page.getByLabel('Keep request records for');
    expect(await days.inputValue()).toBe('90');
    await days.fill('30');
    await days.press('Enter');
    await page.getByText('· saved').waitFor();
    expect(await readFile(world.engine.configFile, 'utf8')).toMatch(/^usage_retention_days: 30$/m);
    await eventually(
      async () => world.engine.services.engine.state.config.usage_retention_days,
      (value) => value === 30,
    );
    await days.fill('0');
    await days.press('Enter');
    await page.getByRole('alert').getByText('between 1 and 3650').waitFor();
  });

  it('draws the usage charts from the recorded requests', async () => {
    for (let i = 0; i < 3; i++)
      await sdk.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: `q${i}` }] });
    ({ context, page } = await openDashboard(browser, world.engine.url));
    await goTo(page, 'Usage');
    const totals = page.getByRole('region', { name: 'Totals by model' });
    await totals.waitFor();
    const gpt4o = totals
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'gpt-4o', exact: true }) });
    const requestsCell = await gpt4o.getByRole('cell').nth(1).textContent();
    expect(Number(requestsCell)).toBeGreaterThanOrEqual(3);
    // Each chart's canvas holds pixels of its first series' colour: data was drawn, not just axes.
    for (const name of ['Requests by Model', 'Tokens by Model', 'Cost by Model']) {
      const drawn = await page
        .getByRole('figure', { name })
        .locator('canvas')
        .first()
        .evaluate((canvas: HTMLCanvasElement) => {
          const ctx = canvas.getContext('2d');
          if (!ctx) return 0;
          const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
          let hits = 0;
          for (let i = 0; i < data.length; i += 4) {
            const [r, g, b, a] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, data[i + 3] ?? 0];
            if (a > 0 && b > 150 && r < 120 && g > 90 && g < 170) hits++;
          }
          return hits;
        });
      expect(drawn, name).toBeGreaterThan(0);
    }
    const heatmap = page.getByRole('img', { name: /Requests per day/ });
    expect(await heatmap.getAttribute('aria-label')).toMatch(/[1-9]\d* requests on 1 days?/);

    // Grouped by provider over 30 days (daily buckets): the same requests, under their provider.
    await page.getByLabel('Group by').selectOption('provider');
    await page.getByRole('button', { name: '30 days' }).click();
    expect(await page.getByRole('button', { name: '30 days' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('button', { name: '24 hours' }).getAttribute('aria-pressed')).toBe('false');
    const byProvider = page.getByRole('region', { name: 'Totals by provider' });
    const openaiMain = byProvider
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'openai-main', exact: true }) });
    await openaiMain.waitFor();
    expect(Number(await openaiMain.getByRole('cell').nth(1).textContent())).toBeGreaterThanOrEqual(3);
    await page.getByRole('figure', { name: 'Requests by Provider' }).waitFor();
    expect(await byProvider.getByRole('cell', { name: 'gpt-4o', exact: true }).count()).toBe(0);
  });
});

/** Plays the user in the OAuth server's tab: enter the code, log in, confirm, until no form is left. */
async function approveDevice(popup: Page, code: string, user: string, trail: string[] = []): Promise<void> {
  // A new tab starts at about:blank; its first "loaded" can be that blank page.
  await popup.waitForURL((url) => url.protocol === 'http:');
  for (let step = 0; step < 8; step++) {
    await popup.waitForLoadState('domcontentloaded');
    trail.push(`${popup.url()} ${await popup.title()}`);
    const form = popup.locator('form').first();
    if ((await form.count()) === 0) return;
    const fill = async (selector: string, value: string) => {
      const input = popup.locator(`${selector}:visible`);
      if ((await input.count()) > 0) await input.first().fill(value);
    };
    await fill('input[name="user_code"]', code);
    await fill('input[name="login"]', user);
    await fill('input[name="password"]', 'any');
    // oidc-provider's pages put some buttons outside their form (form="…"); "abort" is the way out.
    const submit = popup.locator('button:not([name="abort"]):visible, input[type="submit"]:visible').first();
    const before = popup.url();
    await Promise.all([popup.waitForEvent('framenavigated').catch(() => undefined), submit.click()]);
    if (popup.url() === before && (await popup.locator('form').count()) === 0) return;
  }
}

/** Replaces CodeMirror's whole document the way a user would: select all, then type over it. */
async function replaceEditorText(page: Page, text: string): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
}
