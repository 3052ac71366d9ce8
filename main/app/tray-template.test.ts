import { describe, expect, it } from 'vitest';
import type { TrayAction } from './tray-menu';
import { trayMenu } from './tray-menu';
import { toMenuTemplate } from './tray-template';

describe('toMenuTemplate', () => {
  it('keeps every item and routes clicks to their actions', () => {
    const actions: TrayAction[] = [];
    const template = toMenuTemplate(
      trayMenu({
        running: false,
        url: null,
        requestsToday: 0,
        errorsToday: 0,
        configError: false,
        providers: [{ name: 'copilot', enabled: true, signIn: 'device', accounts: 0 }],
        launchAtLogin: false,
        hasApiKey: false,
      }),
      (action) => actions.push(action),
    );
    const byLabel = (label: string) => template.find((item) => item.label === label);
    expect(template[0]).toEqual({ label: 'Proxy stopped', enabled: false });
    expect(byLabel('copilot (not signed in)')).toMatchObject({ type: 'checkbox', checked: true });
    expect(byLabel('Copy endpoint URL')).toMatchObject({ enabled: false });
    const click = (label: string) => (byLabel(label)?.click as (() => void) | undefined)?.();
    click('copilot (not signed in)');
    click('Start proxy');
    const signIn = byLabel('Sign in')?.submenu as Array<{ label: string; click: () => void }>;
    signIn[0]?.click();
    expect(actions).toEqual([
      { type: 'toggle-provider', provider: 'copilot', enabled: false },
      { type: 'start' },
      { type: 'sign-in', provider: 'copilot' },
    ]);
  });
});
