import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const cliBundle = resolve(repoRoot, 'dist/cli.mjs');

export interface RunningCli {
  child: ChildProcess;
  url: string;
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
  });
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
  const spawned = spawnCli(args, env, command);
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${spawned.stderr()}`)), 15_000);
    const check = () => {
      const match = LISTENING.exec(spawned.stdout());
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    spawned.child.stdout?.on('data', check);
    spawned.exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${spawned.stderr()}`));
    });
  });
  return {
    child: spawned.child,
    url,
    output: () => ({ stdout: spawned.stdout(), stderr: spawned.stderr() }),
    exit: () => spawned.exited,
  };
}
