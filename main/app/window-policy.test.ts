import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  isAllowedNavigation,
  restoreBounds,
  secureWebPreferences,
  windowOpenDecision,
  windowPosition,
} from './window-policy';

const RENDERER = 'file:///app/dist/renderer/index.html';
const screen = { x: 0, y: 0, width: 1920, height: 1080 };

describe('window policy', () => {
  it('isolates the renderer', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    });
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });

  it('never opens windows; sends only http(s) links to the browser', () => {
    expect(windowOpenDecision('https://docs.example/x')).toEqual({
      action: 'deny',
      openExternally: 'https://docs.example/x',
    });
    expect(windowOpenDecision('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(windowOpenDecision('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(windowOpenDecision('smb://host/share')).toEqual({ action: 'deny' });
    expect(windowOpenDecision('::nonsense')).toEqual({ action: 'deny' });
  });

  it('allows navigation only between routes of its own page', () => {
    expect(isAllowedNavigation(`${RENDERER}#/usage`, RENDERER)).toBe(true);
    expect(isAllowedNavigation('https://evil.example/', RENDERER)).toBe(false);
    expect(isAllowedNavigation('file:///tmp/x.html', RENDERER)).toBe(false);
  });

  it('opens under a top tray, above a bottom tray, centered without tray bounds', () => {
    const size = { width: 400, height: 600 };
    expect(windowPosition({ x: 1800, y: 0, width: 24, height: 24 }, size, screen)).toEqual({
      x: 1520,
      y: 28,
    });
    expect(windowPosition({ x: 100, y: 1050, width: 24, height: 30 }, size, screen)).toEqual({
      x: 0,
      y: 446,
    });
    expect(windowPosition({ x: 0, y: 0, width: 0, height: 0 }, size, screen)).toEqual({ x: 760, y: 240 });
    expect(windowPosition(undefined, size, screen)).toEqual({ x: 760, y: 240 });
  });

  it('restores saved bounds only when sane and on a display', () => {
    expect(restoreBounds({ x: 10, y: 10, width: 1000, height: 700 }, [screen])).toEqual({
      x: 10,
      y: 10,
      width: 1000,
      height: 700,
    });
    expect(restoreBounds({ x: 5000, y: 10, width: 1000, height: 700 }, [screen])).toBeUndefined();
    expect(restoreBounds({ x: 10, y: 10, width: 50, height: 700 }, [screen])).toBeUndefined();
    expect(restoreBounds({ x: '10', y: 10, width: 1000, height: 700 }, [screen])).toBeUndefined();
    expect(restoreBounds(null, [screen])).toBeUndefined();
  });
});

describe('the renderer page', () => {
  it('carries the same Content-Security-Policy (minus frame-ancestors, which meta tags cannot set)', async () => {
    const { readFile } = await import('node:fs/promises');
    const html = await readFile(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
  });
});
