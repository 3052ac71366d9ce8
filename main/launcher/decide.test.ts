import { describe, expect, it } from 'vitest';
import { browserCommand, decideLaunch, electronFailedToStart } from './decide';

const installed = { binary: '/app/node_modules/electron/dist/electron' };

describe('decideLaunch (npm start)', () => {
  it('launches Electron when its binary exists and there is a display', () => {
    expect(decideLaunch({ platform: 'linux', env: { DISPLAY: ':0' }, electron: installed })).toEqual({
      mode: 'electron',
      binary: installed.binary,
    });
    expect(
      decideLaunch({ platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' }, electron: installed }).mode,
    ).toBe('electron');
    expect(decideLaunch({ platform: 'darwin', env: {}, electron: installed }).mode).toBe('electron');
    expect(decideLaunch({ platform: 'win32', env: {}, electron: installed }).mode).toBe('electron');
  });

  it('runs headless, saying why, without the binary', () => {
    const plan = decideLaunch({
      platform: 'linux',
      env: { DISPLAY: ':0' },
      electron: { missing: "Electron's binary is not installed" },
    });
    expect(plan).toEqual({ mode: 'headless', reason: "Electron's binary is not installed" });
  });

  it('runs headless without a display on Linux', () => {
    const plan = decideLaunch({ platform: 'linux', env: {}, electron: installed });
    expect(plan.mode).toBe('headless');
    expect(plan.mode === 'headless' && plan.reason).toMatch(/no display/);
  });

  it('honours CLIPROXY_HEADLESS=1', () => {
    expect(
      decideLaunch({ platform: 'darwin', env: { CLIPROXY_HEADLESS: '1' }, electron: installed }).mode,
    ).toBe('headless');
  });
});

describe('browserCommand', () => {
  const always = () => true;
  it('uses the platform opener', () => {
    expect(browserCommand('darwin', {}, always)).toEqual({ command: 'open', args: [] });
    expect(browserCommand('win32', {}, always)?.command).toBe('cmd');
    expect(browserCommand('linux', { DISPLAY: ':0' }, always)).toEqual({ command: 'xdg-open', args: [] });
  });
  it('opens nothing in CI, without a display, or without xdg-open', () => {
    expect(browserCommand('darwin', { CI: 'true' }, always)).toBeNull();
    expect(browserCommand('linux', {}, always)).toBeNull();
    expect(browserCommand('linux', { DISPLAY: ':0' }, () => false)).toBeNull();
  });
});

describe('electronFailedToStart', () => {
  it('treats an early error exit as a failed start, a late or clean exit as the user quitting', () => {
    expect(electronFailedToStart(1, null, 800)).toBe(true);
    expect(electronFailedToStart(null, 'SIGSEGV', 800)).toBe(true);
    expect(electronFailedToStart(0, null, 800)).toBe(false);
    expect(electronFailedToStart(1, null, 60_000)).toBe(false);
  });
});
