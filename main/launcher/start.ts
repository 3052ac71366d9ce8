import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { relaunchWithAllocatorTuning } from '../allocator-relaunch';
import { main as cliMain } from '../cli';
import { decideLaunch, electronFailedToStart, type LaunchProbe } from './decide';

/** `npm start`: the tray app when Electron can run here, else the headless engine with its dashboard. */
function probeElectron(): LaunchProbe['electron'] {
  try {
    // Under plain Node, the electron package exports the binary's path (or throws if not downloaded).
    const binary = createRequire(import.meta.url)('electron') as unknown;
    if (typeof binary === 'string' && existsSync(binary)) return { binary };
  } catch {
    // fall through
  }
  return {
    missing:
      "Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD was set or its download host is unreachable)",
  };
}

let fellBack = false;
function headless(reason: string, args: string[]): void {
  if (fellBack) return;
  fellBack = true;
  process.stderr.write(`CLIProxy++: running headless because ${reason}.\n`);
  void cliMain(['serve', '--open', ...args]);
}

const args = process.argv.slice(2);
const plan = decideLaunch({ platform: process.platform, env: process.env, electron: probeElectron() });
if (plan.mode === 'headless') {
  relaunchWithAllocatorTuning(); // before anything is printed: the relaunched process decides again
  headless(plan.reason, args);
} else {
  const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
  const started = Date.now();
  const child = spawn(plan.binary, [appDir, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    if (electronFailedToStart(code, signal, Date.now() - started)) {
      headless(`Electron exited (${signal ?? `code ${code}`}) before its window opened`, args);
    } else {
      process.exit(code ?? 0);
    }
  });
  child.on('error', (error) => headless(`Electron could not be started: ${error.message}`, args));
}
