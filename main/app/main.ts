import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, clipboard, dialog, ipcMain, nativeTheme, safeStorage, shell } from 'electron';
import Store from 'electron-store';
import { type EventName, eventChannelOf } from '../../shared/bridge';
import type { Events } from '../../shared/contract';
import { createLogger, Redactor } from '../log';
import { ConfigInvalidError, type Services, startServices } from '../services';
import { type DeepLink, parseDeepLink } from './deeplink';
import { deepLinkRoute } from './deeplink-route';
import { bindContract, isTrustedFrameUrl } from './ipc-binding';
import { ElectronPrefsStore } from './prefs-electron';
import { safeStorageBox } from './secrets';
import { AppTray } from './tray';
import type { TrayAction } from './tray-menu';
import { startOfLocalDay, TodayCounter, toTrayState } from './tray-state';
import { createLoginWindow, createMainWindow, showWindow } from './window';
import type { Rect } from './window-policy';

// The Electron shell: thin wiring of the engine, IPC, tray and windows. Rules live in the pure
// modules beside this file (tested without Electron); this file only connects them.
const redactor = new Redactor();
const logger = createLogger({ redactor });
const appDir = app.getAppPath();
const assetsDir = join(appDir, 'assets');
const preload = join(appDir, 'dist', 'main', 'preload.cjs');
const rendererUrl =
  process.env.CLIPROXY_RENDERER_URL ??
  pathToFileURL(join(appDir, 'dist', 'renderer', 'index.html')).toString();
const icon = join(assetsDir, 'icon.png');

let services: Services | undefined;
let mainWindow: BrowserWindow | undefined;
let tray: AppTray | undefined;
let quitting = false;
const pendingLinks: string[] = [];

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Windows/Linux dev runs need the script path to register the scheme; packaged apps do not.
  if (process.defaultApp && process.argv[1])
    app.setAsDefaultProtocolClient('cliproxy', process.execPath, [process.argv[1]]);
  else app.setAsDefaultProtocolClient('cliproxy');
  app.on('open-url', (event, url) => {
    event.preventDefault();
    if (services) void handleLink(url);
    else pendingLinks.push(url);
  });
  app.on('second-instance', (_event, argv) => {
    const link = argv.find((arg) => arg.startsWith('cliproxy://'));
    if (link) void handleLink(link);
    else if (mainWindow) showWindow(mainWindow, null);
  });
  app.on('window-all-closed', () => {
    // A tray app keeps running with no window open.
  });
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('will-quit', (event) => {
    if (!services) return;
    event.preventDefault();
    const running = services;
    services = undefined;
    tray?.destroy();
    running.stop().finally(() => app.exit(0));
  });
  app.whenReady().then(start, (error: Error) => fail(error));
}

async function start(): Promise<void> {
  const { box, warning } = safeStorageBox(safeStorage, process.platform);
  if (warning) logger.warn(warning);
  const store = new Store<Record<string, unknown>>({ name: 'preferences' });
  const prefs = new ElectronPrefsStore(store, (next, previous) => {
    if (next.launchAtLogin !== previous.launchAtLogin)
      app.setLoginItemSettings({ openAtLogin: next.launchAtLogin });
    nativeTheme.themeSource = next.theme;
  });
  nativeTheme.themeSource = prefs.get().theme;
  try {
    services = await startServices({
      logger,
      redactor,
      prefs,
      shell: 'electron',
      quit: () => app.quit(),
      ...(process.env.CLIPROXY_CONFIG ? { configPath: process.env.CLIPROXY_CONFIG } : {}),
      ...(box ? { secretBox: box } : {}),
    });
  } catch (error) {
    fail(error as Error);
    return;
  }
  const running = services;
  bindContract(ipcMain, running.api, (url) => isTrustedFrameUrl(url, rendererUrl));

  mainWindow = createMainWindow({
    preload,
    rendererUrl,
    icon,
    logger,
    savedBounds: store.get('windowBounds'),
    saveBounds: (bounds: Rect) => store.set('windowBounds', bounds),
    quitting: () => quitting,
  });
  const push = <E extends EventName>(event: E, payload: Events[E]) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed()) win.webContents.send(eventChannelOf(event), payload);
    }
  };

  const today = await countToday(running);
  tray = new AppTray(
    assetsDir,
    (action) => void onTrayAction(action),
    () => openDashboard(null),
  );
  const refreshTray = async () => {
    const state = await running.api.getState({});
    tray?.update(toTrayState(state, today.get(), prefs.get().launchAtLogin, firstApiKey(running)));
  };
  let trayRefreshQueued = false;
  // Under heavy traffic the counters change per request; the menu is rebuilt at most once a second.
  const refreshTraySoon = () => {
    if (trayRefreshQueued) return;
    trayRefreshQueued = true;
    setTimeout(() => {
      trayRefreshQueued = false;
      void refreshTray();
    }, 1_000);
  };
  running.engine.on('stateChanged', (status) => {
    push('stateChanged', status);
    void refreshTray();
  });
  running.auth.on('loginChanged', (update) => {
    push('loginChanged', update);
    void refreshTray();
  });
  running.recorder.on('requestStarted', (started) => push('requestStarted', started));
  running.recorder.on('requestLogged', (record) => {
    push('requestLogged', record);
    today.add(record.status);
    refreshTraySoon();
  });
  await refreshTray();

  // The first run opens the window; later runs start quietly in the tray.
  if (!prefs.get().onboardingDone) {
    openDashboard('#/dashboard');
    await prefs.set({ onboardingDone: true });
  }
  for (const url of [...pendingLinks, ...process.argv.filter((a) => a.startsWith('cliproxy://'))])
    await handleLink(url);
  pendingLinks.length = 0;

  async function onTrayAction(action: TrayAction): Promise<void> {
    try {
      switch (action.type) {
        case 'toggle-provider':
          await running.api.setProviderEnabled({ provider: action.provider, enabled: action.enabled });
          break;
        case 'sign-in':
          createLoginWindow({ preload, rendererUrl, icon, logger }, action.provider);
          break;
        case 'copy-endpoint':
          clipboard.writeText(running.engine.url() ?? '');
          break;
        case 'copy-api-key': {
          const key = firstApiKey(running);
          if (key) clipboard.writeText(key);
          break;
        }
        case 'start':
        case 'stop':
          await running.api.setRunning({ running: action.type === 'start' });
          break;
        case 'open-dashboard':
          openDashboard(null);
          break;
        case 'toggle-launch-at-login':
          await running.api.setPrefs({ launchAtLogin: action.enabled });
          await refreshTray();
          break;
        case 'quit':
          app.quit();
          break;
      }
    } catch (error) {
      logger.error('tray action failed', { action: action.type, reason: (error as Error).message });
      dialog.showErrorBox('CLIProxy++', (error as Error).message);
    }
  }
}

function openDashboard(route: string | null): void {
  if (mainWindow && !mainWindow.isDestroyed()) showWindow(mainWindow, route, tray?.bounds());
}

async function handleLink(url: string): Promise<void> {
  const link: DeepLink | null = parseDeepLink(url);
  if (!link) {
    logger.warn('ignored an unknown cliproxy:// link');
    return;
  }
  if (link.kind === 'oauth-callback') {
    const taken = (await services?.auth.completeAppCallback(url)) ?? false;
    if (!taken) logger.warn('ignored an OAuth callback that matches no pending sign-in');
    openDashboard('#/accounts');
    return;
  }
  openDashboard(deepLinkRoute(link));
}

function firstApiKey(running: Services): string | null {
  const first = running.engine.state.config.api_keys[0];
  if (first === undefined) return null;
  return typeof first === 'string' ? first : first.key;
}

async function countToday(running: Services): Promise<TodayCounter> {
  try {
    const from = startOfLocalDay(new Date());
    const { points } = await running.api.queryUsage({ from, to: Date.now(), bucket: 'day' });
    const requests = points.reduce((sum, p) => sum + p.requests, 0);
    const errors = points.reduce((sum, p) => sum + p.errors, 0);
    return new TodayCounter({ requests, errors });
  } catch {
    return new TodayCounter({ requests: 0, errors: 0 });
  }
}

function fail(error: Error): void {
  const detail = error instanceof ConfigInvalidError ? error.message : (error.stack ?? error.message);
  logger.error('the app could not start', { reason: error.message });
  dialog.showErrorBox('CLIProxy++ could not start', detail);
  if (error instanceof ConfigInvalidError) shell.showItemInFolder(error.file);
  app.exit(1);
}
