import { describe, expect, it } from 'vitest';
import { type TrayItem, type TrayState, trayIcon, trayMenu } from './tray-menu';

const base: TrayState = {
  running: true,
  url: 'http://127.0.0.1:8317',
  requestsToday: 12,
  errorsToday: 1,
  configError: false,
  providers: [
    { name: 'openai', enabled: true, accounts: 1 },
    { name: 'claude-max', enabled: false, signIn: 'browser', accounts: 0 },
  ],
  launchAtLogin: false,
  hasApiKey: true,
};

const labels = (items: TrayItem[]) => items.map((i) => (i.kind === 'separator' ? '—' : i.label));

describe('trayMenu', () => {
  it('shows status, providers as checkboxes, sign-in, and every action when running', () => {
    const items = trayMenu(base);
    expect(labels(items)).toEqual([
      'http://127.0.0.1:8317 — 12 requests today, 1 error',
      '—',
      'openai',
      'claude-max (not signed in)',
      'Sign in',
      '—',
      'Copy endpoint URL',
      'Copy API key',
      'Stop proxy',
      'Open dashboard',
      '—',
      'Launch at login',
      'Quit',
    ]);
    expect(items[3]).toMatchObject({
      kind: 'checkbox',
      checked: false,
      action: { type: 'toggle-provider', provider: 'claude-max', enabled: true },
    });
    expect(items[4]).toMatchObject({
      kind: 'submenu',
      items: [{ label: 'claude-max…', action: { type: 'sign-in', provider: 'claude-max' } }],
    });
    expect(trayIcon(base)).toBe('running');
  });

  it('offers Start and disables copying the endpoint when stopped', () => {
    const items = trayMenu({ ...base, running: false, url: null });
    expect(labels(items)[0]).toBe('Proxy stopped');
    expect(items.find((i) => i.kind === 'action' && i.label === 'Start proxy')).toMatchObject({
      action: { type: 'start' },
    });
    expect(items.find((i) => i.kind === 'action' && i.label === 'Copy endpoint URL')).toMatchObject({
      enabled: false,
    });
    expect(trayIcon({ ...base, running: false })).toBe('stopped');
  });

  it('says what to do with no providers, flags config errors, and has no sign-in without subscriptions', () => {
    const items = trayMenu({ ...base, providers: [], configError: true, hasApiKey: false });
    expect(labels(items)).toContain('No providers yet — add one in the dashboard');
    expect(labels(items)).toContain('⚠ config.yaml has errors — open the dashboard');
    expect(labels(items)).not.toContain('Sign in');
    expect(items.find((i) => i.kind === 'action' && i.label === 'Copy API key')).toMatchObject({
      enabled: false,
    });
    expect(trayIcon({ ...base, configError: true })).toBe('error');
  });
});
