import { type Browser, chromium } from 'playwright';

/** Debian's Chromium (Playwright cannot download its own browsers on these machines). */
export const CHROMIUM = process.env.CLIPROXY_CHROMIUM ?? '/usr/bin/chromium';

/** Headless, no sandbox (CI runs as root), and nothing that reaches the network by itself. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(
  options: { executablePath?: string; extraArgs?: string[] } = {},
): Promise<Browser> {
  return chromium.launch({
    executablePath: options.executablePath ?? CHROMIUM,
    args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
  });
}
