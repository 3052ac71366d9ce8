import { describe, expect, it } from 'vitest';
import type { AppState } from '../../shared/contract';
import { trayIcon, trayMenu } from './tray-menu';
import { providerNote, startOfLocalDay, TodayCounter, toTrayState } from './tray-state';

const app: AppState = {
  status: {
    running: true,
    url: 'http://127.0.0.1:8317',
    configIssues: [],
    warnings: [],
    loadedAt: 1,
    cooldowns: [],
    health: {},
    quotas: [],
    usageLogError: null,
    accountFileProblems: [],
  },
  providers: [
    {
      name: 'openai',
      type: 'openai',
      enabled: true,
      authType: 'api_key',
      models: ['gpt-4o'],
      modelEntries: [],
      priority: 0,
    },
    {
      name: 'claude-max',
      type: 'claude',
      enabled: true,
      authType: 'oauth',
      models: [],
      modelEntries: [],
      priority: 0,
    },
    {
      name: 'copilot',
      type: 'copilot',
      enabled: false,
      authType: 'device_flow',
      models: [],
      modelEntries: [],
      priority: 0,
    },
  ],
  accounts: [
    { id: 'a1', provider: 'claude-max', identity: 'ada@example.com', status: 'active' },
    { id: 'a2', provider: 'claude-max', identity: 'bob@example.com', status: 'needs_login' },
  ],
  configPath: '/home/u/.cliproxy/config.yaml',
  paths: { config: '/c', authDir: '/a', usageDb: '/u' },
  shell: 'electron',
  secretsProtection: 'os-keychain',
  usageRetentionDays: 90,
  logBodies: false,
};

describe('toTrayState', () => {
  it('derives sign-in kinds and active account counts', () => {
    const state = toTrayState(app, { requests: 3, errors: 0 }, true, 'sk-1');
    expect(state.providers).toEqual([
      { name: 'openai', enabled: true, accounts: 0 },
      { name: 'claude-max', enabled: true, accounts: 1, signIn: 'browser' },
      { name: 'copilot', enabled: false, accounts: 0, signIn: 'device' },
    ]);
    expect(state).toMatchObject({ running: true, requestsToday: 3, launchAtLogin: true, hasApiKey: true });
    expect(trayIcon(state)).toBe('running');
  });

  it('shows the error icon and a warning line for a broken config', () => {
    const broken = {
      ...app,
      status: { ...app.status, configIssues: [{ path: 'port', line: 1, col: 1, message: 'bad' }] },
    };
    const state = toTrayState(broken, { requests: 0, errors: 0 }, false, null);
    expect(trayIcon(state)).toBe('error');
    expect(
      trayMenu(state).some((i) => i.kind === 'label' && i.label.includes('config.yaml has errors')),
    ).toBe(true);
    expect(state.hasApiKey).toBe(false);
  });

  it('shows stopped when the listener is down', () => {
    const stopped = { ...app, status: { ...app.status, running: false, url: null } };
    expect(trayIcon(toTrayState(stopped, { requests: 0, errors: 0 }, false, null))).toBe('stopped');
  });
});

describe('TodayCounter', () => {
  it('counts requests and errors and starts over at midnight', () => {
    let now = new Date(2026, 11, 1, 23, 59);
    const counter = new TodayCounter({ requests: 5, errors: 1 }, () => now);
    counter.add(200);
    counter.add(429);
    expect(counter.get()).toEqual({ requests: 7, errors: 2 });
    now = new Date(2026, 11, 2, 0, 1);
    expect(counter.get()).toEqual({ requests: 0, errors: 0 });
    counter.add(500);
    expect(counter.get()).toEqual({ requests: 1, errors: 1 });
    expect(startOfLocalDay(now)).toBe(new Date(2026, 11, 2).getTime());
  });
});

describe('providerNote', () => {
  const withStatus = (status: Partial<AppState['status']>): AppState => ({
    ...app,
    status: { ...app.status, ...status },
  });

  it('says nothing when all is well, and the most urgent thing otherwise', () => {
    expect(providerNote(app, 'openai')).toBeUndefined();
    const quota = (used: number) => ({
      provider: 'openai',
      account: 'openai',
      windows: [
        { name: 'requests', limit: 100, remaining: 100 - used },
        { name: 'tokens', used_percent: 10 },
      ],
      updated_at: 1,
    });
    expect(providerNote(withStatus({ quotas: [quota(50)] }), 'openai')).toBeUndefined();
    expect(providerNote(withStatus({ quotas: [quota(85)] }), 'openai')).toBe('quota 85% used');
    const failing = { ok: false, status: 500, latencyMs: 3, checkedAt: 1 };
    expect(providerNote(withStatus({ quotas: [quota(85)], health: { openai: failing } }), 'openai')).toBe(
      'failing its health check',
    );
    const cooldown = { provider: 'openai', account: 'openai', model: 'gpt-4o', until: 2, reason: '429' };
    expect(
      providerNote(withStatus({ health: { openai: failing }, cooldowns: [cooldown, cooldown] }), 'openai'),
    ).toBe('2 cooling down');
  });

  it('puts the note beside the provider in the menu', () => {
    const state = toTrayState(
      withStatus({ quotas: [], health: { openai: { ok: false, status: 401, latencyMs: 1, checkedAt: 1 } } }),
      { requests: 0, errors: 0 },
      false,
      null,
    );
    expect(trayMenu(state).map((i) => (i.kind === 'separator' ? '—' : i.label))).toContain(
      'openai — failing its health check',
    );
  });
});
