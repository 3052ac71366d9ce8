// The benchmark's upstream, in its own process: OpenAI chat completions and Anthropic messages,
// streaming and not. It does as little as it can per request (no JSON parse of the prompt) so the
// proxies, not the mock, use the CPU.
//
// A model name containing "paced" streams its chunks 2 ms apart, and each chunk's text carries the
// mock's send time (`@<ms since epoch>;`) so the client can measure each chunk's delivery delay.
// One containing "long" streams 500 chunks back to back, the length of an agent's longer answers.
// Usage: node bench/mock-upstream.mjs [--chunks 20]   (prints "listening on <url>")
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { chunks: { type: 'string', default: '20' } } });
const CHUNKS = Number(values.chunks);
const PACED_CHUNKS = 16;
const LONG_CHUNKS = 500;
const PACE_MS = 2;
const WORD = 'lorem ';
const ANSWER_TEXT = WORD.repeat(CHUNKS).trim();

const now = () => performance.timeOrigin + performance.now();
const usage = { prompt_tokens: 12, completion_tokens: CHUNKS, total_tokens: 12 + CHUNKS };

const chatAnswer = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'bench',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: ANSWER_TEXT },
        finish_reason: 'stop',
        logprobs: null,
      },
    ],
    usage,
  }),
);

const messagesAnswer = Buffer.from(
  JSON.stringify({
    id: 'msg_bench',
    type: 'message',
    role: 'assistant',
    model: 'bench-claude',
    content: [{ type: 'text', text: ANSWER_TEXT }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: CHUNKS },
  }),
);

/** One OpenAI streaming chunk as an SSE event. */
function chatChunk(delta, finish = null, extra = {}) {
  const chunk = {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'bench',
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    ...extra,
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

function claudeEvent(type, data) {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

const chatStream = {
  head: [chatChunk({ role: 'assistant', content: '' })],
  delta: (text) => chatChunk({ content: text }),
  tail: [
    chatChunk({}, 'stop'),
    `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'bench', choices: [], usage })}\n\n`,
    'data: [DONE]\n\n',
  ],
};

const claudeStream = {
  head: [
    claudeEvent('message_start', {
      message: {
        id: 'msg_bench',
        type: 'message',
        role: 'assistant',
        model: 'bench-claude',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 12, output_tokens: 1 },
      },
    }),
    claudeEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  ],
  delta: (text) => claudeEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
  tail: [
    claudeEvent('content_block_stop', { index: 0 }),
    claudeEvent('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: CHUNKS },
    }),
    claudeEvent('message_stop', {}),
  ],
};

// Unpaced streams are the same bytes every time: built once.
const prebuilt = new Map(
  [
    ['chat', chatStream, CHUNKS],
    ['claude', claudeStream, CHUNKS],
    ['chat-long', chatStream, LONG_CHUNKS],
    ['claude-long', claudeStream, LONG_CHUNKS],
  ].map(([name, shape, length]) => [
    name,
    [...shape.head, ...Array.from({ length }, () => shape.delta(WORD)), ...shape.tail].map((s) =>
      Buffer.from(s),
    ),
  ]),
);

function streamUnpaced(res, kind) {
  for (const event of prebuilt.get(kind)) res.write(event);
  res.end();
}

function streamPaced(res, shape) {
  for (const event of shape.head) res.write(event);
  let sent = 0;
  const tick = () => {
    if (res.destroyed) return;
    res.write(shape.delta(`@${now().toFixed(3)};`));
    if (++sent < PACED_CHUNKS) setTimeout(tick, PACE_MS);
    else {
      for (const event of shape.tail) res.write(event);
      res.end();
    }
  };
  tick();
}

function modelOf(text) {
  return /"model"\s*:\s*"([^"]*)"/.exec(text)?.[1] ?? '';
}

const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const kind = req.url.endsWith('/chat/completions')
      ? 'chat'
      : req.url.endsWith('/messages')
        ? 'claude'
        : '';
    if (req.method !== 'POST' || !kind) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    const text =
      chunks.length === 1 ? chunks[0].toString('latin1') : Buffer.concat(chunks).toString('latin1');
    const stream = /"stream"\s*:\s*true/.test(text);
    if (!stream) {
      const body = kind === 'chat' ? chatAnswer : messagesAnswer;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const model = modelOf(text);
    if (model.includes('paced')) streamPaced(res, kind === 'chat' ? chatStream : claudeStream);
    else streamUnpaced(res, model.includes('long') ? `${kind}-long` : kind);
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
