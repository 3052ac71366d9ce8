import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import OpenAI from 'openai';
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGES } from '../../renderer/src/routes';
import { signInThroughApi } from '../../test/helpers/engine';
import { FakeBrowser } from '../../test/oauth/browser';
import {
  CLIENT_KEY,
  chromiumMissing,
  launchChromium,
  openDashboard,
  repoRoot,
  SECRET,
  startWorld,
  type World,
} from './harness';

const skip = chromiumMissing();
if (skip) console.warn(`e2e/browser skipped: ${skip}`);

/** Every run writes here (gitignored); `npm run screenshots` also refreshes the README's copies. */
const LATEST = resolve(repoRoot, 'e2e/artifacts/latest');
const PUBLISHED = resolve(repoRoot, 'e2e/artifacts');
const publish = process.env.CLIPROXY_SCREENSHOTS === 'publish';

describe.skipIf(skip)('every page, light and dark: no serious accessibility violations, a screenshot', () => {
  let world: World;
  let browser: Browser;

  beforeAll(async () => {
    [world, browser] = await Promise.all([startWorld(), launchChromium()]);
    await mkdir(LATEST, { recursive: true });
    // Something to show: a signed-in account and a few requests, one of them failed.
    const signedIn = await signInThroughApi(
      world.engine,
      SECRET,
      'team',
      async (login) => {
        await new FakeBrowser('ada', { user_code: login.user_code ?? '' }).run(login.verification_uri ?? '');
      },
      20_000,
    );
    expect(signedIn.status).toBe('ok');
    const sdk = new OpenAI({ baseURL: `${world.engine.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    for (const model of ['mini', 'gpt-4o', 'mini', 'team', 'mini'])
      await sdk.chat.completions.create({ model, messages: [{ role: 'user', content: 'Write a haiku' }] });
    await sdk.chat.completions
      .create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] })
      .catch(() => undefined);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`${colorScheme}: each page passes axe-core and is captured (light: keyboard focus is visible at every stop)`, async () => {
      const { context, page } = await openDashboard(browser, world.engine.url, { colorScheme });
      try {
        const failures: string[] = [];
        for (const { id, title } of PAGES) {
          await page
            .getByRole('navigation', { name: 'Pages' })
            .getByRole('link', { name: title, exact: true })
            .click();
          await page.getByRole('heading', { level: 1, name: title }).waitFor();
          expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(colorScheme);
          await settle(page, id);
          const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
          for (const v of result.violations)
            if (v.impact === 'serious' || v.impact === 'critical')
              failures.push(
                `${id}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
              );
          const file = `${id}-${colorScheme}.png`;
          await page.screenshot({ path: join(LATEST, file), fullPage: true });
          if (publish) await copyFile(join(LATEST, file), join(PUBLISHED, file));
        }
        expect(failures).toEqual([]);
        if (colorScheme === 'light') expect(await unfocusableOrInvisible(page)).toEqual([]);
      } finally {
        await context.close();
      }
    }, 60_000);
  }
});

/** Waits for what each page loads after its heading, so the check and the picture see it. */
async function settle(page: import('playwright').Page, id: string): Promise<void> {
  if (id === 'config') await page.locator('.cm-content').waitFor();
  if (id === 'usage') await page.getByRole('region', { name: /^Totals by/ }).waitFor();
  if (id === 'accounts') await page.getByText('ada@example.com').first().waitFor();
  if (id === 'requests') await page.getByRole('row').nth(3).waitFor();
  if (id === 'dashboard' || id === 'usage') await page.locator('canvas').first().waitFor();
  // Charts draw on the next frame.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/**
 * Walks the Providers page (the busiest with controls) by Tab: every stop must show a focus ring
 * (outline or box-shadow) — "every control reachable by keyboard with a visible focus".
 */
async function unfocusableOrInvisible(page: import('playwright').Page): Promise<string[]> {
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: 'Providers', exact: true })
    .click();
  await page.getByRole('heading', { level: 1, name: 'Providers' }).waitFor();
  await page.locator('body').focus();
  const problems: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const ring =
        (style.outlineStyle !== 'none' && style.outlineWidth !== '0px') || style.boxShadow !== 'none';
      const name = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? '';
      return { what: `${el.tagName.toLowerCase()} "${name}"`, ring, visible: el.getClientRects().length > 0 };
    });
    if (!stop) break;
    if (seen.has(stop.what)) continue;
    seen.add(stop.what);
    if (!stop.ring || !stop.visible) problems.push(stop.what);
  }
  if (seen.size < 10) problems.push(`only ${seen.size} focus stops reached`);
  return problems;
}
