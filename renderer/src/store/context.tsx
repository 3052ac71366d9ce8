import { createContext, type ReactNode, useContext } from 'react';
import { useStore } from 'zustand';
import type { Bridge } from '../bridge/types';
import type { AppStore, AppStoreState } from './app-store';

const StoreContext = createContext<{ store: AppStore; bridge: Bridge } | null>(null);

export function StoreProvider({
  store,
  bridge,
  children,
}: {
  store: AppStore;
  bridge: Bridge;
  children: ReactNode;
}) {
  return <StoreContext.Provider value={{ store, bridge }}>{children}</StoreContext.Provider>;
}

function useCtx() {
  const ctx = useContext(StoreContext);
  if (!ctx) throw new Error('StoreProvider is missing');
  return ctx;
}

export function useApp<T>(selector: (state: AppStoreState) => T): T {
  return useStore(useCtx().store, selector);
}

export function useBridge(): Bridge {
  return useCtx().bridge;
}
