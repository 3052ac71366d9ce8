import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const cliBundle = resolve(repoRoot, 'dist/cli.mjs');

const spawned = new Set<ChildProcess>();

/** Sends a signal to the child's whole process group. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Kills whatever a test left running; call from afterAll. */
export function killAllSpawned(): void {
  for (const child of spawned) signalGroup(child, 'SIGKILL');
}

export interface RunningCli {
  child: ChildProcess;
  url: string;
  signal(signal: NodeJS.Signals): void;
  output(): { stdout: string; stderr: string };
  exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}, command?: [string, string[]]): Spawned {
  const [file, prefix] = command ?? [process.execPath, [cliBundle]];
  const child = spawn(file, [...prefix, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a signal reaches every process of `npm run …` and none is orphaned.
    detached: true,
  });
  spawned.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

const LISTENING = /CLIProxy\+\+ listening on (http:\/\/\S+)/;

/** Starts `serve` and resolves with its URL once it prints the listening line. */
export async function startCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  command?: [string, string[]],
): Promise<RunningCli> {
  const run = spawnCli(args, env, command);
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${run.stderr()}`)), 15_000);
    const check = () => {
      const match = LISTENING.exec(run.stdout());
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    run.child.stdout?.on('data', check);
    run.exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${run.stderr()}`));
    });
  });
  return {
    child: run.child,
    url,
    signal: (signal) => signalGroup(run.child, signal),
    output: () => ({ stdout: run.stdout(), stderr: run.stderr() }),
    exit: () => run.exited,
  };
}

/** CLI tests run the built bundle, as users do; building takes well under a second. */
export function buildCli(): void {
  execFileSync(process.execPath, ['scripts/build-main.mjs', '--quiet'], { cwd: repoRoot, stdio: 'inherit' });
}
