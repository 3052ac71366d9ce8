// The floor cost of any Node proxy: node:http in, undici keep-alive out, bodies piped both ways
// untouched (no JSON, no routing, no accounting). Its own process, like the engine. It uses
// Readable#pipe rather than stream.pipeline, which allocates an AbortController and throws away a
// DOMException per call: the floor should be the cheapest honest pipe, not a flattering one.
// Usage: node bench/bare-proxy.mjs <upstream origin>   (prints "listening on <url>")
import { forwardedHeaders, pipeAnswer, servePipe } from './lib/pipe-server.mjs';

servePipe('bench/bare-proxy.mjs', async (req, res, { agent, upstream }) => {
  const headers = forwardedHeaders(req);
  if (req.headers['content-length']) headers['content-length'] = req.headers['content-length'];
  const answer = await agent.request({
    origin: upstream,
    path: req.url,
    method: req.method,
    headers,
    body: req.method === 'GET' ? undefined : req,
  });
  pipeAnswer(answer, res);
});
