import { METHOD_NAMES } from '../../shared/bridge';
import { type Api, channelOf, type ErrorEnvelope } from '../../shared/contract';
import { dispatch } from '../contract-handlers';
import { isSamePage } from './window-policy';

/** The slice of Electron's ipcMain this binding uses (so it is tested without Electron). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, payload: unknown) => unknown): void;
  removeHandler(channel: string): void;
}

export interface IpcInvokeEventLike {
  senderFrame: { url: string } | null;
}

/**
 * The renderer is ours when the frame shows our index.html (file:// in a package, the Vite dev
 * server in development); its hash route and query do not matter. Anything else — a navigated-away
 * frame, an iframe, a missing frame — is refused.
 */
export function isTrustedFrameUrl(frameUrl: string | undefined, rendererUrl: string): boolean {
  return frameUrl ? isSamePage(frameUrl, rendererUrl) : false;
}

/** Binds every contract method to `cliproxy:<method>`; returns the unbinding function. */
export function bindContract(
  ipc: IpcMainLike,
  api: Api,
  isTrusted: (frameUrl: string | undefined) => boolean,
): () => void {
  for (const method of METHOD_NAMES) {
    ipc.handle(channelOf(method), async (event, payload): Promise<unknown> => {
      if (!isTrusted(event.senderFrame?.url)) {
        const refused: ErrorEnvelope = {
          error: { message: 'this window may not call the app', code: 'forbidden' },
        };
        return refused;
      }
      return dispatch(api, method, payload);
    });
  }
  return () => {
    for (const method of METHOD_NAMES) ipc.removeHandler(channelOf(method));
  };
}
