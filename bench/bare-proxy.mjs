// The floor cost of any Node proxy: node:http in, undici keep-alive out, bodies piped both ways
// untouched (no JSON, no routing, no accounting). Its own process, like the engine. It uses
// Readable#pipe rather than stream.pipeline, which allocates an AbortController and throws away a
// DOMException per call: the floor should be the cheapest honest pipe, not a flattering one.
// Usage: node bench/bare-proxy.mjs <upstream origin>   (prints "listening on <url>")
import { createServer } from 'node:http';
import { Agent } from 'undici';

const upstream = process.argv[2];
if (!upstream) throw new Error('usage: node bench/bare-proxy.mjs <upstream origin>');
const agent = new Agent({ keepAliveTimeout: 30_000, connections: 256 });
const FORWARDED_REQUEST_HEADERS = ['content-type', 'authorization', 'x-api-key', 'anthropic-version'];

const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, async (req, res) => {
  const headers = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  if (req.headers['content-length']) headers['content-length'] = req.headers['content-length'];
  try {
    const answer = await agent.request({
      origin: upstream,
      path: req.url,
      method: req.method,
      headers,
      body: req.method === 'GET' ? undefined : req,
    });
    const contentType = answer.headers['content-type'];
    res.writeHead(answer.statusCode, contentType ? { 'content-type': contentType } : {});
    answer.body.on('error', (error) => res.destroy(error));
    res.on('close', () => answer.body.destroy());
    answer.body.pipe(res);
  } catch (error) {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(String(error.message));
  }
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
