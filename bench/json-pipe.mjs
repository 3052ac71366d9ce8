// The floor cost of a Node proxy that must read what it relays: like bare-proxy.mjs (node:http in,
// undici keep-alive out) but it reads the request body whole and parses it (a proxy routes by the
// model inside), sends it on as a buffer, and reads and parses a non-stream answer whole before
// answering (so a torn or non-JSON answer can become an error instead of a 200). Streams are piped.
// No routing, accounting or translation: what is left between it and the engine is the engine's own.
// Usage: node bench/json-pipe.mjs <upstream origin>   (prints "listening on <url>")
import { forwardedHeaders, pipeAnswer, servePipe, writeHead } from './lib/pipe-server.mjs';

function readAll(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

servePipe('bench/json-pipe.mjs', async (req, res, { agent, upstream }) => {
  const body = await readAll(req);
  const request = JSON.parse(body.toString());
  const answer = await agent.request({
    origin: upstream,
    path: req.url,
    method: req.method,
    headers: forwardedHeaders(req),
    body,
  });
  if (request.stream) {
    pipeAnswer(answer, res);
    return;
  }
  const raw = await readAll(answer.body);
  JSON.parse(raw.toString());
  writeHead(answer, res);
  res.end(raw);
});
