import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(homedir(), path.slice(2));
  return resolve(path);
}

export function defaultDataDir(): string {
  return join(homedir(), '.cliproxy');
}

export function defaultConfigPath(): string {
  return join(defaultDataDir(), 'config.yaml');
}
