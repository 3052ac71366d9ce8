import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { type ConfigIssue, type ConfigOverrides, loadConfigFile } from './loader';
import type { Config } from './schema';

export interface ConfigWatcherOptions {
  file: string;
  overrides?: ConfigOverrides;
  /** Hash of the content already applied, so an unchanged file is not applied twice. */
  appliedHash: string;
  debounceMs?: number;
  onValid(config: Config, hash: string): void | Promise<void>;
  onInvalid(issues: ConfigIssue[]): void;
  /** The file went back to the applied content after being invalid. */
  onRecovered?(): void;
}

/**
 * Watches the config file's directory rather than the file: editors and tools save by writing a
 * temp file and renaming it over the original, which a watch on the file itself would lose.
 */
export class ConfigWatcher {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private appliedHash: string;
  private rejectedHash = '';
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly options: ConfigWatcherOptions) {
    this.appliedHash = options.appliedHash;
  }

  start(): void {
    const name = basename(this.options.file);
    this.watcher = watch(dirname(this.options.file), (_event, filename) => {
      if (filename === null || filename === name) this.schedule();
    });
    this.watcher.on('error', () => this.schedule());
  }

  stop(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  /** Resolves once any reload in progress has been applied (used by tests and shutdown). */
  settled(): Promise<void> {
    return this.running;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.running.then(() => this.reload());
    }, this.options.debounceMs ?? 150);
  }

  private async reload(): Promise<void> {
    const result = await loadConfigFile(this.options.file, this.options.overrides, { refuseBlank: true });
    if (result.ok && result.hash === this.appliedHash) {
      if (this.rejectedHash !== '') this.options.onRecovered?.();
      this.rejectedHash = '';
      return;
    }
    if (!result.ok) {
      if (result.hash !== this.rejectedHash || result.hash === '') this.options.onInvalid(result.issues);
      this.rejectedHash = result.hash || 'unreadable';
      return;
    }
    this.appliedHash = result.hash;
    this.rejectedHash = '';
    try {
      await this.options.onValid(result.config, result.hash);
    } catch (error) {
      this.options.onInvalid([
        { path: '', line: 1, col: 1, message: `could not apply: ${(error as Error).message}` },
      ]);
    }
  }
}
