import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface RouteServer {
  origin: string;
  /** What answers each path; a path not set gets a 404. */
  routes: Map<string, Route>;
  close(): Promise<void>;
}

/** A loopback HTTP server answering by path, for tests of the upstream client; `onRequest` sees every request first. */
export async function startRouteServer(onRequest?: Route): Promise<RouteServer> {
  const routes = new Map<string, Route>();
  const server = createServer((req, res) => {
    onRequest?.(req, res);
    const route = routes.get(req.url ?? '');
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    routes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
