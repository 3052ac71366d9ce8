import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uiRouter } from './ui-route';

let dir: string;
const servers: Server[] = [];

async function serve(resolveDir: () => string | undefined): Promise<string> {
  const app = express();
  app.use('/ui', uiRouter(resolveDir));
  const server = createServer(app).listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cliproxy-ui-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><html><head><title>x</title></head></html>');
  await writeFile(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(join(dir, 'assets', 'index-abc.css'), 'body{}');
  await writeFile(join(dir, '.secret'), 'nope');
});
afterAll(async () => {
  for (const server of servers) server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the /ui route', () => {
  it('serves index.html at /ui and /ui/, with a base only where relative URLs need it', async () => {
    const url = await serve(() => dir);
    const bare = await fetch(`${url}/ui`);
    expect(bare.status).toBe(200);
    expect(bare.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(bare.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await bare.text()).toContain('<base href="/ui/" />');
    const slash = await fetch(`${url}/ui/`);
    expect(slash.status).toBe(200);
    expect(await slash.text()).not.toContain('<base');
  });

  it('serves assets with their content types and long caching', async () => {
    const url = await serve(() => dir);
    const js = await fetch(`${url}/ui/assets/index-abc.js`);
    expect(js.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${url}/ui/assets/index-abc.css`)).headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('lists no directories and hides dotfiles and paths outside the build', async () => {
    const url = await serve(() => dir);
    for (const path of [
      '/ui/assets',
      '/ui/assets/',
      '/ui/.secret',
      '/ui/missing.js',
      '/ui/..%2f..%2fetc/passwd',
    ]) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('index-abc');
    }
  });

  it('says plainly when the dashboard is not built', async () => {
    const url = await serve(() => undefined);
    const res = await fetch(`${url}/ui/`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toContain('npm run build');
  });
});
