import { BrowserWindow, screen, shell } from 'electron';
import type { Logger } from '../log';
import {
  isAllowedNavigation,
  type Rect,
  restoreBounds,
  secureWebPreferences,
  windowOpenDecision,
  windowPosition,
} from './window-policy';

export interface WindowOptions {
  preload: string;
  rendererUrl: string;
  icon: string;
  savedBounds: unknown;
  saveBounds(bounds: Rect): void;
  /** True once the app is quitting: closing then really closes. */
  quitting(): boolean;
  logger: Logger;
}

/** Applies the link and navigation rules to any window showing the renderer. */
export function guardWebContents(win: BrowserWindow, rendererUrl: string, logger: Logger): void {
  win.webContents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally) void shell.openExternal(decision.openExternally);
    else logger.warn('refused to open a window', { url: url.slice(0, 200) });
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, rendererUrl)) {
      event.preventDefault();
      const decision = windowOpenDecision(url);
      if (decision.openExternally) void shell.openExternal(decision.openExternally);
    }
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
}

/** The dashboard window: hidden on close (the app lives in the tray), bounds remembered. */
export function createMainWindow(options: WindowOptions): BrowserWindow {
  const workAreas = screen.getAllDisplays().map((d) => d.workArea);
  const bounds = restoreBounds(options.savedBounds, workAreas);
  const win = new BrowserWindow({
    ...(bounds ?? { width: 1180, height: 780 }),
    minWidth: 760,
    minHeight: 520,
    show: false,
    title: 'CLIProxy++',
    icon: options.icon,
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(options.preload),
  });
  guardWebContents(win, options.rendererUrl, options.logger);
  win.on('close', (event) => {
    if (!options.quitting()) {
      event.preventDefault();
      win.hide();
    }
  });
  let saveTimer: NodeJS.Timeout | undefined;
  const remember = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      if (!win.isDestroyed() && !win.isMinimized() && !win.isMaximized()) options.saveBounds(win.getBounds());
    }, 500);
  };
  win.on('resize', remember);
  win.on('move', remember);
  void win.loadURL(options.rendererUrl);
  return win;
}

/** Shows the window at a route; near the tray icon the first time when bounds were not saved. */
export function showWindow(win: BrowserWindow, route: string | null, trayBounds?: Rect): void {
  if (route) void win.webContents.executeJavaScript(`location.hash = ${JSON.stringify(route)}`);
  if (!win.isVisible() && trayBounds) {
    const { width, height } = win.getBounds();
    const display = screen.getDisplayNearestPoint({ x: trayBounds.x, y: trayBounds.y });
    const at = windowPosition(trayBounds, { width, height }, display.workArea);
    win.setPosition(at.x, at.y);
  }
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

/** The small sign-in window: follows one login (progress, device code, result). */
export function createLoginWindow(
  options: Omit<WindowOptions, 'savedBounds' | 'saveBounds' | 'quitting'>,
  provider: string,
): BrowserWindow {
  const win = new BrowserWindow({
    width: 440,
    height: 560,
    resizable: false,
    minimizable: false,
    maximizable: false,
    title: `Sign in — ${provider}`,
    icon: options.icon,
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(options.preload),
  });
  guardWebContents(win, options.rendererUrl, options.logger);
  void win.loadURL(`${options.rendererUrl}#/signin/${encodeURIComponent(provider)}`);
  return win;
}
