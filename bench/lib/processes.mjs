// Child processes of the proxy benchmark: each server runs in its own process, bound to 127.0.0.1,
// and says where it listens on stdout. Stopped by their own pid, never by name.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STARTUP_TIMEOUT_MS = 20_000;

/**
 * Resident set size of a process in MB, and its private (anonymous) part: the rest is file-backed,
 * mostly the node binary's own pages, shared by every Node process. Linux /proc; undefined elsewhere.
 */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]) / 1024;
    const rss = kb('VmRSS');
    return Number.isFinite(rss) ? { rss, anon: kb('RssAnon') } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds a process has used so far, all its threads (user + system; Linux /proc, in clock ticks
 * of 10 ms); undefined elsewhere. Per request, far steadier than req/s on a shared machine: it does
 * not count the time the process waited for a core.
 */
export function cpuSecondsOf(pid) {
  return statCpuSeconds(`/proc/${pid}/stat`);
}

function statCpuSeconds(statFile) {
  try {
    const stat = readFileSync(statFile, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds of a process's main thread alone (Linux /proc, its task whose id is the pid): the
 * thread every request passes through, beside the helpers (GC, the usage writer) counted above.
 */
export function mainThreadCpuSecondsOf(pid) {
  return statCpuSeconds(`/proc/${pid}/task/${pid}/stat`);
}

/** Spawns `node <args>` and resolves when its stdout matches `ready` (a regexp with the URL in group 1). */
async function startNode(name, args, { ready = /listening on (\S+)/, env = process.env, url } = {}) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), STARTUP_TIMEOUT_MS);
  let out = '';
  try {
    for await (const chunk of child.stdout) {
      out += chunk;
      const match = ready.exec(out);
      if (match) {
        child.stdout.resume(); // keep draining so a chatty child never blocks on a full pipe
        return handle(name, child, url ?? match[1]);
      }
    }
  } finally {
    clearTimeout(timer);
  }
  throw new Error(`${name} did not start:\n${stderr}`);
}

function handle(name, child, url) {
  const exited = once(child, 'exit');
  return {
    name,
    url,
    pid: child.pid,
    memory: () => memoryOf(child.pid),
    cpuSeconds: () => cpuSecondsOf(child.pid),
    mainThreadCpuSeconds: () => mainThreadCpuSecondsOf(child.pid),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function startMock() {
  return startNode('mock', ['bench/mock-upstream.mjs']);
}

export function startBareProxy(upstream, { nodeArgs = [] } = {}) {
  return startNode('bare', [...nodeArgs, 'bench/bare-proxy.mjs', upstream]);
}

/** The pipe that reads and parses what it relays (bench/json-pipe.mjs): a second floor. */
export function startJsonPipe(upstream, { nodeArgs = [] } = {}) {
  return startNode('json pipe', [...nodeArgs, 'bench/json-pipe.mjs', upstream]);
}

/**
 * The built engine (`dist/cli.mjs serve`) with a temp config and usage log; nodeArgs e.g. --cpu-prof;
 * cli: another build's cli.mjs (a before/after comparison), name: its label.
 */
export function startEngine(upstream, { nodeArgs = [], cli = 'dist/cli.mjs', name = 'engine' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cliproxy-bench-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      'host: 127.0.0.1',
      'port: 0',
      `auth_dir: ${join(dir, 'auths')}`,
      `usage_db: ${join(dir, 'usage.db')}`,
      'providers:',
      `  - {name: oai, type: openai, api_key: sk-bench, endpoint: "${upstream}", models: [{name: bench}, {name: bench-paced}, {name: bench-long}]}`,
      `  - {name: ant, type: claude, api_key: sk-ant-bench, endpoint: "${upstream}", models: [{name: bench-claude}, {name: bench-claude-paced}, {name: bench-claude-long}]}`,
      '',
    ].join('\n'),
  );
  return startNode(name, [...nodeArgs, cli, 'serve', '--config', config]).then((engine) => ({
    ...engine,
    dir,
  }));
}

/** Portkey's gateway (its built Node server), bound to loopback, its header bug worked around. */
export async function startPortkey() {
  const port = await freePort();
  return startNode(
    'portkey',
    [
      '--import',
      './bench/loopback-only.mjs',
      '--import',
      './bench/portkey-mutable-headers.mjs',
      'node_modules/@portkey-ai/gateway/build/start-server.js',
      `--port=${port}`,
      '--headless',
    ],
    {
      ready: /Ready for connections/,
      url: `http://127.0.0.1:${port}`,
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
}
