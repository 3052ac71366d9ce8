import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';

/**
 * The built dashboard (dist/renderer) lives in a different place relative to the running code:
 * beside the bundled CLI (dist/cli.mjs → dist/renderer), beside the Electron main bundle
 * (dist/main/app.cjs → dist/renderer), or two folders up when the engine runs from source (tests).
 */
export function defaultUiDir(): string | undefined {
  const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'renderer'), join(here, '../renderer'), join(here, '../../dist/renderer')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

// The page needs nothing but its own origin: scripts and styles from /ui, the API on the same host.
// CodeMirror injects <style> elements, hence 'unsafe-inline' for styles only.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

const NOT_BUILT =
  'The dashboard is not built. Run `npm run build` (it runs vite build into dist/renderer), then reload this page.\n';

/**
 * GET /ui: the dashboard's static files. Public (the page holds no secret; it asks for the management
 * secret and keeps it in the tab), no directory listings, index.html for /ui and /ui/.
 */
export function uiRouter(resolveDir: () => string | undefined = defaultUiDir): Router {
  const router = express.Router({ strict: true });
  let dir: string | undefined;
  let serveStatic: RequestHandler | undefined;
  const current = () => {
    dir ??= resolveDir();
    return dir;
  };
  const sendIndex = (req: Request, res: Response) => {
    const root = current();
    if (!root) {
      res.status(503).type('text/plain; charset=utf-8').send(NOT_BUILT);
      return;
    }
    let html = readFileSync(join(root, 'index.html'), 'utf8');
    // Served at /ui (no slash) the page's relative asset URLs would resolve against /; a base fixes that.
    if (!req.originalUrl.split(/[?#]/)[0]?.endsWith('/'))
      html = html.replace('<head>', '<head>\n    <base href="/ui/" />');
    res
      .status(200)
      .set({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      })
      .send(html);
  };
  router.get(['/', '/index.html'], sendIndex);
  router.use((req, res, next) => {
    const root = current();
    if (!root) {
      res.status(503).type('text/plain; charset=utf-8').send(NOT_BUILT);
      return;
    }
    serveStatic ??= express.static(root, {
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      fallthrough: true,
      setHeaders: (r, path) => {
        r.setHeader('x-content-type-options', 'nosniff');
        // Vite names assets by content hash, so they never change under the same URL.
        r.setHeader(
          'cache-control',
          path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
    serveStatic(req, res, next);
  });
  router.use((req, res) => {
    res
      .status(404)
      .type('text/plain; charset=utf-8')
      .send(`Not found: ${req.originalUrl.split('?')[0]}\n`);
  });
  return router;
}
