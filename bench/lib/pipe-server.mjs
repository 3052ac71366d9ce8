// What the two reference pipes (bench/bare-proxy.mjs, bench/json-pipe.mjs) share: the upstream from
// argv, one undici keep-alive pool, the headers they forward, relaying an answer with Readable#pipe,
// a 502 on failure, and the "listening on <url>" line the bench reads.
import { createServer } from 'node:http';
import { Agent } from 'undici';

const FORWARDED_REQUEST_HEADERS = ['content-type', 'authorization', 'x-api-key', 'anthropic-version'];

/** The request headers a pipe passes on. */
export function forwardedHeaders(req) {
  const headers = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/** The answer's status and content type; its body piped to the client as it comes. */
export function pipeAnswer(answer, res) {
  writeHead(answer, res);
  answer.body.on('error', (error) => res.destroy(error));
  res.on('close', () => answer.body.destroy());
  answer.body.pipe(res);
}

/** The answer's status and content type (the only header a pipe relays). */
export function writeHead(answer, res) {
  const contentType = answer.headers['content-type'];
  res.writeHead(answer.statusCode, contentType ? { 'content-type': contentType } : {});
}

/**
 * Serves `handle(req, res, { agent, upstream })` on 127.0.0.1 with the upstream named on the
 * command line; a thrown error becomes a 502.
 */
export function servePipe(script, handle) {
  const upstream = process.argv[2];
  if (!upstream) throw new Error(`usage: node ${script} <upstream origin>`);
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 256 });
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, async (req, res) => {
    try {
      await handle(req, res, { agent, upstream });
    } catch (error) {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error.message));
    }
  });
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
  });
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
}
