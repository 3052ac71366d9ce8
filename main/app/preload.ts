import { contextBridge, ipcRenderer } from 'electron';
import { createDesktopBridge } from './preload-api';

// Bundled into one CommonJS file (sandboxed preloads cannot load modules) and exposed as window.api.
contextBridge.exposeInMainWorld(
  'api',
  createDesktopBridge(
    (channel, payload) => ipcRenderer.invoke(channel, payload),
    (channel, listener) => {
      const handler = (_event: unknown, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, handler);
      return () => ipcRenderer.removeListener(channel, handler);
    },
  ),
);
