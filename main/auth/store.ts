import { EventEmitter } from 'node:events';
import { type FSWatcher, watch } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { AccountFileProblem } from '../../shared/status';
import { PROVIDER_TYPES } from '../config/schema';
import { writeFileAtomic } from '../fs/atomic';
import type { Account } from './account';
import type { SecretBox } from './secret-box';

const FORMAT = 'cliproxy-account';

const accountSchema = z.object({
  id: z.string().regex(/^[a-zA-Z0-9_.-]+$/),
  provider: z.string().min(1),
  type: z.enum(PROVIDER_TYPES),
  identity: z.string(),
  status: z.enum(['active', 'needs_login', 'disabled']),
  status_reason: z.string().optional(),
  tokens: z.object({
    access_token: z.string(),
    refresh_token: z.string().optional(),
    id_token: z.string().optional(),
    token_type: z.string().optional(),
    expires_at: z.number().optional(),
    scope: z.string().optional(),
    client_id: z.string().optional(),
    client_secret: z.string().optional(),
  }),
  metadata: z.record(z.string(), z.string()).default({}),
  created_at: z.number(),
  updated_at: z.number(),
});

const fileSchema = z.union([
  z.object({ format: z.literal(FORMAT), version: z.literal(1), account: z.unknown() }),
  z.object({ format: z.literal(FORMAT), version: z.literal(1), encryption: z.string(), data: z.string() }),
]);

/** A file in auth_dir that could not be read as an account; shown in status, never deleted. */
export type { AccountFileProblem };

/**
 * One JSON file per account in auth_dir, written atomically with mode 0600, encrypted when a
 * SecretBox is given. Files added, changed or removed by hand are picked up live ('changed' event).
 */
export class AccountStore extends EventEmitter<{ changed: [] }> {
  private accounts = new Map<string, Account>();
  private problemList: AccountFileProblem[] = [];
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Counts saves and removes made here; `changedAt` holds each account's latest. */
  private changes = 0;
  private readonly changedAt = new Map<string, number>();
  /** Per account, the last file operation queued (see onDisk). */
  private readonly diskQueue = new Map<string, Promise<void>>();

  constructor(
    readonly dir: string,
    private readonly box?: SecretBox,
  ) {
    super();
  }

  list(): Account[] {
    return [...this.accounts.values()];
  }

  /** Every stored token and client secret, for the log redactor. */
  secrets(): Array<string | undefined> {
    return this.list().flatMap(({ tokens }) => [
      tokens.access_token,
      tokens.refresh_token,
      tokens.id_token,
      tokens.client_secret,
    ]);
  }

  get(id: string): Account | undefined {
    return this.accounts.get(id);
  }

  problems(): AccountFileProblem[] {
    return this.problemList;
  }

  async load(): Promise<void> {
    const since = this.changes;
    // A save still on its way to disk (fsync can take longer than the watcher's debounce) is not in
    // the directory yet; nor has a pending remove's file gone. Memory is the truth for those ids.
    const unwritten = new Set(this.diskQueue.keys());
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const names = (await readdir(this.dir)).filter((name) => name.endsWith('.json') && !name.startsWith('.'));
    const accounts = new Map<string, Account>();
    const problems: AccountFileProblem[] = [];
    for (const name of names.sort()) {
      try {
        const account = this.decode(await readFile(join(this.dir, name), 'utf8'));
        accounts.set(account.id, account);
      } catch (error) {
        problems.push({ file: name, reason: (error as Error).message });
      }
    }
    // A save or remove made here while the files were being read (a token refresh, typically), or
    // not yet on disk when reading began, is newer than what was read: a reload must never hand
    // back the tokens it replaced, nor drop an account just signed in.
    for (const [id, change] of this.changedAt) {
      if (change <= since && !unwritten.has(id)) continue;
      const current = this.accounts.get(id);
      if (current) accounts.set(id, current);
      else accounts.delete(id);
    }
    this.accounts = accounts;
    this.problemList = problems;
  }

  async save(account: Account): Promise<void> {
    const file = this.fileOf(account.id);
    this.accounts.set(account.id, account);
    this.changedAt.set(account.id, ++this.changes);
    const text = this.encode(account);
    await this.onDisk(account.id, async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(file, text);
    });
  }

  /**
   * Applies `change` to the account as it is at this moment and saves the result; undefined, and
   * nothing written, when the account is gone (removed while the caller was waiting on a network).
   */
  async update(id: string, change: (current: Account) => Account): Promise<Account | undefined> {
    const current = this.accounts.get(id);
    if (!current) return undefined;
    const updated = change(current);
    await this.save(updated);
    return updated;
  }

  async remove(id: string): Promise<boolean> {
    const file = this.fileOf(id);
    const existed = this.accounts.delete(id);
    this.changedAt.set(id, ++this.changes);
    await this.onDisk(id, () => rm(file, { force: true }));
    return existed;
  }

  /**
   * Runs one account's file operations in the order they were asked for: a remove issued while a
   * save is still writing must not be overtaken by that save's rename (the file would come back).
   */
  private onDisk(id: string, operation: () => Promise<void>): Promise<void> {
    const previous = this.diskQueue.get(id) ?? Promise.resolve();
    const next = previous.then(operation, operation);
    this.diskQueue.set(id, next);
    const forget = () => {
      if (this.diskQueue.get(id) === next) this.diskQueue.delete(id);
    };
    next.then(forget, forget);
    return next;
  }

  watch(debounceMs = 200): void {
    this.watcher = watch(this.dir, () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.load().then(
          () => this.emit('changed'),
          () => undefined,
        );
      }, debounceMs);
    });
    this.watcher.on('error', () => undefined);
  }

  stopWatching(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private fileOf(id: string): string {
    if (!/^[a-zA-Z0-9_.-]+$/.test(id) || id.startsWith('.'))
      throw new Error(`invalid account id ${JSON.stringify(id)}`);
    return join(this.dir, `${id}.json`);
  }

  private encode(account: Account): string {
    if (!this.box) return `${JSON.stringify({ format: FORMAT, version: 1, account }, null, 2)}\n`;
    const data = this.box.encrypt(JSON.stringify(account));
    return `${JSON.stringify({ format: FORMAT, version: 1, encryption: this.box.kind, data }, null, 2)}\n`;
  }

  private decode(text: string): Account {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new Error('not valid JSON (a torn or hand-edited file?)');
    }
    const file = fileSchema.safeParse(raw);
    if (!file.success) throw new Error(`not a ${FORMAT} file (format/version missing)`);
    let inner: unknown;
    if ('account' in file.data) inner = file.data.account;
    else {
      if (!this.box || this.box.kind !== file.data.encryption) {
        throw new Error(`encrypted with ${file.data.encryption}, which this process cannot open`);
      }
      inner = JSON.parse(this.box.decrypt(file.data.data));
    }
    const account = accountSchema.safeParse(inner);
    if (!account.success)
      throw new Error(
        `invalid account: ${account.error.issues[0]?.path.join('.')} ${account.error.issues[0]?.message}`,
      );
    return account.data as Account;
  }
}
