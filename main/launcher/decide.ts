/**
 * What `npm start` runs, decided from facts gathered by start.ts: the Electron app when its
 * runtime exists and can open a window, otherwise the headless engine with the dashboard at /ui.
 */
export interface LaunchProbe {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** The Electron binary's path when installed, else why it is not. */
  electron: { binary: string } | { missing: string };
}

export type LaunchPlan = { mode: 'electron'; binary: string } | { mode: 'headless'; reason: string };

export function hasDisplay(platform: NodeJS.Platform, env: Record<string, string | undefined>): boolean {
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

export function decideLaunch(probe: LaunchProbe): LaunchPlan {
  if (probe.env.CLIPROXY_HEADLESS === '1')
    return { mode: 'headless', reason: 'CLIPROXY_HEADLESS=1 asks for the headless engine' };
  if ('missing' in probe.electron) return { mode: 'headless', reason: probe.electron.missing };
  if (!hasDisplay(probe.platform, probe.env))
    return {
      mode: 'headless',
      reason: 'there is no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset)',
    };
  return { mode: 'electron', binary: probe.electron.binary };
}

/** The command that opens a URL in the user's browser, or null where there is none to open. */
export function browserCommand(
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>,
  onPath: (command: string) => boolean,
): { command: string; args: string[] } | null {
  if (env.CI || env.CLIPROXY_NO_BROWSER === '1') return null;
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  if (!hasDisplay(platform, env)) return null;
  return onPath('xdg-open') ? { command: 'xdg-open', args: [] } : null;
}

/** An Electron that dies this soon with an error never showed its window: fall back to headless. */
export const ELECTRON_STARTUP_GRACE_MS = 10_000;

export function electronFailedToStart(
  code: number | null,
  signal: string | null,
  elapsedMs: number,
): boolean {
  return elapsedMs < ELECTRON_STARTUP_GRACE_MS && (signal !== null || (code !== null && code !== 0));
}
