// The floor cost of a Node proxy that must read what it relays: like bare-proxy.mjs (node:http in,
// undici keep-alive out) but it reads the request body whole and parses it (a proxy routes by the
// model inside), sends it on as a buffer, and reads and parses a non-stream answer whole before
// answering (so a torn or non-JSON answer can become an error instead of a 200). Streams are piped.
// No routing, accounting or translation: what is left between it and the engine is the engine's own.
// Usage: node bench/json-pipe.mjs <upstream origin>   (prints "listening on <url>")
import { createServer } from 'node:http';
import { Agent } from 'undici';

const upstream = process.argv[2];
if (!upstream) throw new Error('usage: node bench/json-pipe.mjs <upstream origin>');
const agent = new Agent({ keepAliveTimeout: 30_000, connections: 256 });
const FORWARDED_REQUEST_HEADERS = ['content-type', 'authorization', 'x-api-key', 'anthropic-version'];

function readAll(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, async (req, res) => {
  const headers = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  try {
    const body = await readAll(req);
    const request = JSON.parse(body.toString());
    const answer = await agent.request({
      origin: upstream,
      path: req.url,
      method: req.method,
      headers,
      body,
    });
    const contentType = answer.headers['content-type'];
    if (request.stream) {
      res.writeHead(answer.statusCode, contentType ? { 'content-type': contentType } : {});
      answer.body.on('error', (error) => res.destroy(error));
      res.on('close', () => answer.body.destroy());
      answer.body.pipe(res);
      return;
    }
    const raw = await readAll(answer.body);
    JSON.parse(raw.toString());
    res.writeHead(answer.statusCode, contentType ? { 'content-type': contentType } : {});
    res.end(raw);
  } catch (error) {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(String(error.message));
  }
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
