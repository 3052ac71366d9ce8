// A recording stand-in for the parts of Electron's main-process API the app uses. It keeps a log of
// what the app did (windows loaded, menus built, IPC handlers, events sent) and serves a control
// API on 127.0.0.1 so a test can play the renderer (invoke IPC from a chosen frame URL) and the OS
// (second-instance argv, open-url, tray clicks). Never used by the app itself.
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const log = [];
const record = (type, data = {}) => log.push({ type, ...data, at: Date.now() });
const userData = join(process.env.HOME ?? '/tmp', '.config', 'CLIProxy++');
mkdirSync(userData, { recursive: true });

class AppStub extends EventEmitter {
  isPackaged = false;
  requestSingleInstanceLock() {
    record('singleInstanceLock');
    return true;
  }
  setAsDefaultProtocolClient(scheme) {
    record('protocol', { scheme });
    return true;
  }
  whenReady() {
    return Promise.resolve();
  }
  getAppPath() {
    return process.env.CLIPROXY_STUB_APP_PATH ?? process.cwd();
  }
  getPath() {
    return userData;
  }
  getName() {
    return 'CLIProxy++';
  }
  getVersion() {
    return '0.0.0-stub';
  }
  setLoginItemSettings(settings) {
    record('loginItem', settings);
  }
  quit() {
    record('quit');
    const event = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    this.emit('before-quit', event);
    this.emit('will-quit', event);
    if (!event.defaultPrevented) process.exit(0);
  }
  exit(code = 0) {
    record('exit', { code });
    setTimeout(() => process.exit(code), 50);
  }
}
export const app = new AppStub();

const handlers = new Map();
export const ipcMain = Object.assign(new EventEmitter(), {
  handle(channel, fn) {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, fn);
  },
  removeHandler(channel) {
    handlers.delete(channel);
  },
});

const windows = [];
class WebContents extends EventEmitter {
  constructor(win) {
    super();
    this.win = win;
  }
  setWindowOpenHandler(fn) {
    this.windowOpenHandler = fn;
  }
  send(channel, payload) {
    record('send', { channel, payload });
  }
  executeJavaScript(code) {
    record('executeJavaScript', { window: this.win.id, code });
    return Promise.resolve();
  }
}
export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return windows.filter((w) => !w.destroyed);
  }
  constructor(options) {
    super();
    this.id = windows.length + 1;
    this.options = options;
    this.visible = options.show !== false;
    this.destroyed = false;
    this.bounds = { x: 0, y: 0, width: options.width ?? 800, height: options.height ?? 600 };
    this.webContents = new WebContents(this);
    windows.push(this);
    record('window', { id: this.id, webPreferences: options.webPreferences, title: options.title });
  }
  loadURL(url) {
    this.url = url;
    record('loadURL', { window: this.id, url });
    return Promise.resolve();
  }
  isDestroyed() {
    return this.destroyed;
  }
  isVisible() {
    return this.visible;
  }
  isMinimized() {
    return false;
  }
  isMaximized() {
    return false;
  }
  restore() {}
  show() {
    this.visible = true;
    record('show', { window: this.id });
  }
  hide() {
    this.visible = false;
    record('hide', { window: this.id });
  }
  focus() {
    record('focus', { window: this.id });
  }
  close() {
    const event = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroyed = true;
  }
  getBounds() {
    return this.bounds;
  }
  setPosition(x, y) {
    this.bounds = { ...this.bounds, x, y };
  }
}

let currentMenu = [];
const serializeMenu = (template) =>
  template.map(({ click, submenu, ...item }) => ({
    ...item,
    ...(submenu ? { submenu: serializeMenu(submenu) } : {}),
  }));
export const Menu = {
  buildFromTemplate(template) {
    return { template };
  },
};
export class Tray extends EventEmitter {
  constructor(image) {
    super();
    this.image = image;
    record('tray', { image: image.path });
  }
  setImage(image) {
    record('trayImage', { image: image.path });
  }
  setToolTip(text) {
    record('trayTooltip', { text });
  }
  setContextMenu(menu) {
    currentMenu = menu.template;
    record('trayMenu', { items: serializeMenu(menu.template) });
  }
  getBounds() {
    return { x: 0, y: 0, width: 0, height: 0 };
  }
  destroy() {
    record('trayDestroyed');
  }
}
export const nativeImage = {
  createFromPath(path) {
    return { path, setTemplateImage() {} };
  },
};
export const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'basic_text',
  encryptString: (s) => Buffer.from(`stub:${Buffer.from(s).toString('base64')}`),
  decryptString: (b) => Buffer.from(b.toString().replace(/^stub:/, ''), 'base64').toString(),
};
export const shell = {
  openExternal: async (url) => record('openExternal', { url }),
  showItemInFolder: (path) => record('showItemInFolder', { path }),
  openPath: async () => '',
};
let clipboardText = '';
export const clipboard = {
  writeText: (text) => {
    clipboardText = text;
    record('clipboard', { length: text.length });
  },
  readText: () => clipboardText,
};
export const dialog = { showErrorBox: (title, content) => record('errorBox', { title, content }) };
export const nativeTheme = { themeSource: 'system' };
const workArea = { x: 0, y: 0, width: 1920, height: 1080 };
export const screen = {
  getAllDisplays: () => [{ workArea }],
  getDisplayNearestPoint: () => ({ workArea }),
};

// The control API a test drives.
const control = createServer(async (req, res) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  const input = body ? JSON.parse(body) : {};
  const reply = (value) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  try {
    if (req.url === '/log') return reply(log);
    if (req.url === '/invoke') {
      const handler = handlers.get(input.channel);
      if (!handler) return reply({ missing: input.channel });
      return reply(
        await handler({ senderFrame: input.frameUrl ? { url: input.frameUrl } : null }, input.payload),
      );
    }
    if (req.url === '/channels') return reply([...handlers.keys()]);
    if (req.url === '/second-instance') {
      app.emit('second-instance', {}, input.argv, process.cwd());
      return reply({ ok: true });
    }
    if (req.url === '/tray-click') {
      const find = (items) => {
        for (const item of items) {
          if (item.label === input.label) return item;
          const inner = item.submenu && find(item.submenu);
          if (inner) return inner;
        }
      };
      const item = find(currentMenu);
      if (!item?.click) return reply({ missing: input.label });
      item.click();
      return reply({ ok: true });
    }
    if (req.url === '/clipboard') return reply({ text: clipboardText });
    if (req.url === '/close-window') {
      windows[0]?.close();
      return reply({ visible: windows[0]?.isVisible() ?? false });
    }
    res.writeHead(404).end();
  } catch (error) {
    res.writeHead(500).end(String(error?.message ?? error));
  }
});
control.listen(0, '127.0.0.1', () => {
  process.stdout.write(`electron-stub control on http://127.0.0.1:${control.address().port}\n`);
});
control.unref();

export default {
  app,
  ipcMain,
  BrowserWindow,
  Menu,
  Tray,
  nativeImage,
  safeStorage,
  shell,
  clipboard,
  dialog,
  nativeTheme,
  screen,
};
