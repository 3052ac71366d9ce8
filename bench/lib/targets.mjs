// What the benchmark client sends: always an OpenAI chat completions request (the API most tools
// speak), to a target that reaches the mock directly, through a pipe, the engine or Portkey.

const PROMPT = [
  { role: 'system', content: 'You are a terse assistant.' },
  { role: 'user', content: 'Say lorem twenty times.' },
];
const ONE_MB = 1024 * 1024;

/**
 * Scenarios: chat (non-stream), stream (20 chunks back to back), long (500 chunks back to back),
 * paced (16 chunks 2 ms apart, each carrying the mock's send time), large (a 1 MB user message,
 * non-stream).
 */
function bodyFor(scenario, model) {
  const paced = scenario === 'paced';
  const streamed = paced || scenario === 'stream' || scenario === 'long';
  const messages =
    scenario === 'large'
      ? [PROMPT[0], { role: 'user', content: `Summarize: ${'x'.repeat(ONE_MB - 11)}` }]
      : PROMPT;
  return Buffer.from(
    JSON.stringify({
      model: paced || scenario === 'long' ? `${model}-${scenario}` : model,
      messages,
      max_tokens: 64,
      ...(streamed ? { stream: true } : {}),
    }),
  );
}

/**
 * targets: name → { origin, headers, model }. `translated` targets ask for a model an Anthropic
 * provider serves, so the proxy converts OpenAI chat ↔ Anthropic messages both ways.
 */
export function defineTargets({ mock, bare, jsonPipe, engine, portkey }) {
  const json = { 'content-type': 'application/json', authorization: 'Bearer sk-bench' };
  const viaPortkey = (provider) => ({
    ...json,
    'x-api-key': 'sk-ant-bench',
    'x-portkey-provider': provider,
    'x-portkey-custom-host': `${mock}/v1`,
  });
  const targets = [
    { name: 'direct', origin: mock, headers: json, model: 'bench' },
    bare && { name: 'bare pipe', origin: bare, headers: json, model: 'bench' },
    jsonPipe && { name: 'json pipe', origin: jsonPipe, headers: json, model: 'bench' },
    engine && { name: 'engine passthrough', origin: engine, headers: json, model: 'bench' },
    engine && {
      name: 'engine translation',
      origin: engine,
      headers: json,
      model: 'bench-claude',
      translated: true,
    },
    portkey && {
      name: 'portkey passthrough',
      origin: portkey,
      headers: viaPortkey('openai'),
      model: 'bench',
    },
    portkey && {
      name: 'portkey translation',
      origin: portkey,
      headers: viaPortkey('anthropic'),
      model: 'bench-claude',
      translated: true,
    },
  ];
  return targets.filter(Boolean);
}

/** The HTTP request for a target and scenario (bodies are built once and reused; clients set the length). */
export function requestFor(target, scenario) {
  target.bodies ??= new Map();
  let body = target.bodies.get(scenario);
  if (!body) {
    body = bodyFor(scenario, target.model);
    target.bodies.set(scenario, body);
  }
  return {
    url: `${target.origin}/v1/chat/completions`,
    method: 'POST',
    headers: target.headers,
    body,
  };
}
