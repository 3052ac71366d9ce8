/**
 * The window's security and placement rules as pure functions; window.ts applies them.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Renderer content comes only from the app itself; styles may be inline (CodeMirror injects them). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function secureWebPreferences(preload: string) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    spellcheck: false,
  } as const;
}

/** New windows are never opened; http(s) links go to the system browser, anything else nowhere. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally?: string } {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:' || parsed.protocol === 'http:') {
      return { action: 'deny', openExternally: parsed.toString() };
    }
  } catch {
    // not a URL: nothing to open
  }
  return { action: 'deny' };
}

/** Same page as the renderer's index.html: scheme, host and path match; hash and query do not matter. */
export function isSamePage(target: string, rendererUrl: string): boolean {
  try {
    const to = new URL(target);
    const ours = new URL(rendererUrl);
    return to.protocol === ours.protocol && to.host === ours.host && to.pathname === ours.pathname;
  } catch {
    return false;
  }
}

/** The window may only move between hash routes of its own page. */
export const isAllowedNavigation = isSamePage;

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, max));
}

/**
 * Where the window opens: under (or above) the tray icon when the OS reports its bounds, centered
 * in the work area when it does not (most Linux trays report zeros).
 */
export function windowPosition(
  tray: Rect | undefined,
  size: { width: number; height: number },
  workArea: Rect,
): { x: number; y: number } {
  const maxX = workArea.x + workArea.width - size.width;
  const maxY = workArea.y + workArea.height - size.height;
  if (!tray || (tray.width === 0 && tray.height === 0)) {
    return {
      x: Math.round(workArea.x + (workArea.width - size.width) / 2),
      y: Math.round(workArea.y + (workArea.height - size.height) / 2),
    };
  }
  const trayAtTop = tray.y + tray.height / 2 < workArea.y + workArea.height / 2;
  const x = clamp(Math.round(tray.x + tray.width / 2 - size.width / 2), workArea.x, maxX);
  const y = trayAtTop ? tray.y + tray.height + 4 : tray.y - size.height - 4;
  return { x, y: clamp(y, workArea.y, maxY) };
}

/** Saved bounds are reused only if valid and still mostly on a connected display. */
export function restoreBounds(saved: unknown, workAreas: Rect[]): Rect | undefined {
  if (typeof saved !== 'object' || saved === null) return undefined;
  const { x, y, width, height } = saved as Record<string, unknown>;
  if (![x, y, width, height].every((v) => typeof v === 'number' && Number.isFinite(v))) return undefined;
  const rect = { x, y, width, height } as Rect;
  if (rect.width < 400 || rect.height < 300 || rect.width > 10_000 || rect.height > 10_000) return undefined;
  const visible = workAreas.some((area) => {
    const w = Math.min(rect.x + rect.width, area.x + area.width) - Math.max(rect.x, area.x);
    const h = Math.min(rect.y + rect.height, area.y + area.height) - Math.max(rect.y, area.y);
    return w > 0 && h > 0 && w * h >= (rect.width * rect.height) / 2;
  });
  return visible ? rect : undefined;
}
