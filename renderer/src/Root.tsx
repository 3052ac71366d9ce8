import { useEffect, useState } from 'react';
import type { DesktopBridge } from '../../shared/bridge';
import { App } from './App';
import { createElectronBridge } from './bridge/electron';
import { createHttpBridge } from './bridge/http';
import { forgetSecret, storeSecret, takeSecret } from './bridge/secret';
import { type Bridge, BridgeError, MANAGEMENT_OFF_HINT } from './bridge/types';
import { SecretGate } from './SecretGate';
import { signInProviderOf } from './signin/flow';
import { SignInWindow } from './signin/SignInWindow';
import { type AppStore, createAppStore } from './store/app-store';
import { StoreProvider } from './store/context';

declare global {
  interface Window {
    api?: DesktopBridge;
  }
}

function Connected({ bridge, onSignOut }: { bridge: Bridge; onSignOut?: () => void }) {
  const [store] = useState<AppStore>(() => createAppStore(bridge));
  useEffect(() => store.start(), [store]);
  return (
    <StoreProvider store={store} bridge={bridge}>
      <App {...(onSignOut ? { onSignOut } : {})} />
    </StoreProvider>
  );
}

/** Is the Management API on at all? Asked without a secret: 404 "off" versus 401. */
async function managementIsOff(origin: string): Promise<boolean> {
  try {
    const res = await fetch(`${origin}/v0/management/rpc/getState`, { method: 'POST' });
    return res.status === 404;
  } catch {
    return false;
  }
}

function BrowserRoot() {
  const origin = window.location.origin;
  const [bridge, setBridge] = useState<Bridge | null>(null);
  const [gateError, setGateError] = useState<string | undefined>();
  const [ready, setReady] = useState(false);

  const connect = async (secret: string) => {
    const candidate = createHttpBridge({ baseUrl: origin, secret });
    await candidate.getState({});
    storeSecret(sessionStorage, secret);
    setBridge(candidate);
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once, on the first load
  useEffect(() => {
    const secret = takeSecret({
      location: window.location,
      history: window.history,
      storage: sessionStorage,
    });
    (async () => {
      if (await managementIsOff(origin)) setGateError(MANAGEMENT_OFF_HINT);
      else if (secret) {
        try {
          await connect(secret);
        } catch (error) {
          if (error instanceof BridgeError && error.code === 'unauthorized') forgetSecret(sessionStorage);
          setGateError((error as Error).message);
        }
      }
      setReady(true);
    })();
  }, []);

  if (bridge)
    return (
      <Connected
        bridge={bridge}
        onSignOut={() => {
          forgetSecret(sessionStorage);
          bridge.close();
          setBridge(null);
        }}
      />
    );
  if (!ready)
    return (
      <p className="muted" role="status">
        Connecting…
      </p>
    );
  return <SecretGate check={connect} {...(gateError ? { initialError: gateError } : {})} />;
}

export function Root() {
  const raw = window.api;
  const [electronBridge] = useState(() => (raw ? createElectronBridge(raw) : null));
  // The tray's "Sign in…" opens a small window at #/signin/<provider>.
  const [signInProvider] = useState(() => signInProviderOf(window.location.hash));
  if (electronBridge && signInProvider)
    return <SignInWindow bridge={electronBridge} provider={signInProvider} />;
  return electronBridge ? <Connected bridge={electronBridge} /> : <BrowserRoot />;
}
