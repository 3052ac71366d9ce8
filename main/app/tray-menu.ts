/**
 * The tray menu as a pure function of the app's state: rebuilt on every state change (no polling)
 * and tested without Electron. tray.ts turns it into an Electron Menu and wires the actions.
 */
export interface TrayProvider {
  name: string;
  enabled: boolean;
  /** Subscription providers offer a sign-in; `device` shows a code window, `browser` opens the browser. */
  signIn?: 'browser' | 'device';
  /** Signed-in accounts (for subscription providers). */
  accounts: number;
  /** What needs the user's eye: accounts cooling down, a failing health check, a quota nearly used. */
  note?: string;
}

export interface TrayState {
  running: boolean;
  url: string | null;
  requestsToday: number;
  errorsToday: number;
  configError: boolean;
  providers: TrayProvider[];
  launchAtLogin: boolean;
  hasApiKey: boolean;
}

export type TrayAction =
  | { type: 'toggle-provider'; provider: string; enabled: boolean }
  | { type: 'sign-in'; provider: string }
  | { type: 'copy-endpoint' }
  | { type: 'copy-api-key' }
  | { type: 'start' }
  | { type: 'stop' }
  | { type: 'open-dashboard' }
  | { type: 'toggle-launch-at-login'; enabled: boolean }
  | { type: 'quit' };

export type TrayItem =
  | { kind: 'separator' }
  | { kind: 'label'; label: string }
  | { kind: 'action'; label: string; action: TrayAction; enabled?: boolean }
  | { kind: 'checkbox'; label: string; checked: boolean; action: TrayAction }
  | { kind: 'submenu'; label: string; items: TrayItem[] };

export type TrayIcon = 'running' | 'stopped' | 'error';

export function trayIcon(state: TrayState): TrayIcon {
  if (
    state.configError ||
    (state.running && state.errorsToday > 0 && state.requestsToday === state.errorsToday)
  )
    return 'error';
  return state.running ? 'running' : 'stopped';
}

export function trayTooltip(state: TrayState): string {
  return state.running ? `CLIProxy++ — ${state.url ?? 'running'}` : 'CLIProxy++ — stopped';
}

function statusLine(state: TrayState): string {
  if (!state.running) return 'Proxy stopped';
  const errors =
    state.errorsToday > 0 ? `, ${state.errorsToday} error${state.errorsToday === 1 ? '' : 's'}` : '';
  return `${state.url ?? 'Running'} — ${state.requestsToday} request${state.requestsToday === 1 ? '' : 's'} today${errors}`;
}

export function trayMenu(state: TrayState): TrayItem[] {
  const items: TrayItem[] = [{ kind: 'label', label: statusLine(state) }];
  if (state.configError)
    items.push({ kind: 'label', label: '⚠ config.yaml has errors — open the dashboard' });
  items.push({ kind: 'separator' });
  if (state.providers.length === 0)
    items.push({ kind: 'label', label: 'No providers yet — add one in the dashboard' });
  for (const provider of state.providers) {
    items.push({
      kind: 'checkbox',
      label:
        provider.signIn && provider.accounts === 0
          ? `${provider.name} (not signed in)`
          : provider.note
            ? `${provider.name} — ${provider.note}`
            : provider.name,
      checked: provider.enabled,
      action: { type: 'toggle-provider', provider: provider.name, enabled: !provider.enabled },
    });
  }
  const signIns = state.providers.filter((p) => p.signIn);
  if (signIns.length > 0) {
    items.push({
      kind: 'submenu',
      label: 'Sign in',
      items: signIns.map((p) => ({
        kind: 'action' as const,
        label: `${p.name}…`,
        action: { type: 'sign-in' as const, provider: p.name },
      })),
    });
  }
  items.push(
    { kind: 'separator' },
    {
      kind: 'action',
      label: 'Copy endpoint URL',
      action: { type: 'copy-endpoint' },
      enabled: state.url !== null,
    },
    { kind: 'action', label: 'Copy API key', action: { type: 'copy-api-key' }, enabled: state.hasApiKey },
    state.running
      ? { kind: 'action', label: 'Stop proxy', action: { type: 'stop' } }
      : { kind: 'action', label: 'Start proxy', action: { type: 'start' } },
    { kind: 'action', label: 'Open dashboard', action: { type: 'open-dashboard' } },
    { kind: 'separator' },
    {
      kind: 'checkbox',
      label: 'Launch at login',
      checked: state.launchAtLogin,
      action: { type: 'toggle-launch-at-login', enabled: !state.launchAtLogin },
    },
    { kind: 'action', label: 'Quit', action: { type: 'quit' } },
  );
  return items;
}
