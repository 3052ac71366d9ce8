import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { startTestEngine, type TestEngine } from './engine';

export interface ForwardProxy {
  url: string;
  /** The host:port of every request or tunnel that went through, in order. */
  seen: string[];
  /** The path of every plain-http request that went through (tunnels hide theirs). */
  paths: string[];
  close(): void;
}

/**
 * An HTTP forward proxy on loopback, as corporate networks have: plain-http targets arrive in
 * absolute form, https ones as CONNECT tunnels. Records where each went.
 */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const seen: string[] = [];
  const paths: string[] = [];
  const proxy = createServer((req, res) => {
    const target = new URL(req.url ?? '');
    seen.push(target.host);
    paths.push(target.pathname);
    const forward = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  proxy.on('connect', (req, clientSocket, head) => {
    seen.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstreamSocket = connect(Number(port), host, () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstreamSocket.write(head);
      upstreamSocket.pipe(clientSocket);
      clientSocket.pipe(upstreamSocket);
    });
    upstreamSocket.on('error', () => clientSocket.destroy());
    clientSocket.on('error', () => upstreamSocket.destroy());
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    seen,
    paths,
    close() {
      proxy.closeAllConnections();
      proxy.close();
    },
  };
}

/**
 * Runs `use` against an engine whose config (`configText(top)`) sends all egress through a fresh
 * forward proxy, then stops both, however `use` ended.
 */
export async function withProxiedEngine(
  configText: (top: string) => string,
  use: (engine: TestEngine, proxy: ForwardProxy) => Promise<void>,
): Promise<void> {
  const proxy = await startForwardProxy();
  const engine = await startTestEngine(configText(`proxy_url: "${proxy.url}"\n`));
  try {
    await use(engine, proxy);
  } finally {
    await engine.stop();
    proxy.close();
  }
}
