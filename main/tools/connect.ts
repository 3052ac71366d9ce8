import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ConnectableTool, ToolConnection } from '../../shared/contract';
import { writeFileAtomic } from '../fs/atomic';
import { codexPointsAt, setCodexProvider } from './codex-toml';

/** Where the proxy is and the key tools should send. */
export interface ProxyTarget {
  /** e.g. http://127.0.0.1:8317 (no /v1). */
  url: string;
  key: string;
}

const BACKUP = '.cliproxy-backup-';
/** Marks a backup taken when the file did not exist: undo then removes the file. */
const ABSENT = '.absent';

interface ToolSpec {
  label: string;
  file(home: string): string;
  apply(text: string | undefined, target: ProxyTarget): string;
  points(text: string, target: ProxyTarget): boolean;
}

function claudeSettings(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('~/.claude/settings.json is not valid JSON; fix it or move it away first');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('~/.claude/settings.json is not a JSON object');
  return value as Record<string, unknown>;
}

const TOOLS: Record<ConnectableTool, ToolSpec> = {
  'claude-code': {
    label: 'Claude Code',
    file: (home) => join(home, '.claude', 'settings.json'),
    apply(text, target) {
      const settings = claudeSettings(text);
      const env = (typeof settings.env === 'object' && settings.env !== null ? settings.env : {}) as Record<
        string,
        unknown
      >;
      settings.env = { ...env, ANTHROPIC_BASE_URL: target.url, ANTHROPIC_AUTH_TOKEN: target.key };
      return `${JSON.stringify(settings, null, 2)}\n`;
    },
    points(text, target) {
      try {
        const env = claudeSettings(text).env as Record<string, unknown> | undefined;
        return env?.ANTHROPIC_BASE_URL === target.url;
      } catch {
        return false;
      }
    },
  },
  codex: {
    label: 'Codex CLI',
    file: (home) => join(home, '.codex', 'config.toml'),
    apply: (text, target) => setCodexProvider(text ?? '', `${target.url}/v1`, target.key),
    points: (text, target) => codexPointsAt(text, `${target.url}/v1`),
  },
};

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function backupsOf(file: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dirname(file));
  } catch {
    return [];
  }
  const prefix = `${basename(file)}${BACKUP}`;
  return names
    .filter((name) => name.startsWith(prefix))
    .sort()
    .reverse()
    .map((name) => join(dirname(file), name));
}

/** Tool configs live under the user's home; `home` is injected so tests use a temp dir. */
export class ToolConnector {
  constructor(
    private readonly home: string,
    private readonly target: () => ProxyTarget,
    private readonly now: () => number = Date.now,
  ) {}

  async status(tool: ConnectableTool): Promise<ToolConnection> {
    const spec = TOOLS[tool];
    const file = spec.file(this.home);
    const text = await readIfExists(file);
    return {
      tool,
      label: spec.label,
      files: [file],
      connected: text !== undefined && spec.points(text, this.target()),
      backups: await backupsOf(file),
    };
  }

  async all(): Promise<ToolConnection[]> {
    return Promise.all((Object.keys(TOOLS) as ConnectableTool[]).map((tool) => this.status(tool)));
  }

  /** Backs the file up (timestamped, beside it), then writes the proxy's URL and key into it. */
  async connect(tool: ConnectableTool): Promise<ToolConnection> {
    const spec = TOOLS[tool];
    const file = spec.file(this.home);
    const before = await readIfExists(file);
    const next = spec.apply(before, this.target());
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const stamp = new Date(this.now()).toISOString().replace(/[:.]/g, '-');
    const backup = `${file}${BACKUP}${stamp}`;
    if (before === undefined) await writeFile(`${backup}${ABSENT}`, '', { mode: 0o600 });
    else await copyFile(file, backup);
    await writeFileAtomic(file, next, 0o600);
    return this.status(tool);
  }

  /** Restores the newest backup (or removes the file when there was none before) and drops that backup. */
  async undo(tool: ConnectableTool): Promise<ToolConnection> {
    const file = TOOLS[tool].file(this.home);
    const [latest] = await backupsOf(file);
    if (!latest) throw new Error(`no backup of ${file} to restore`);
    if (latest.endsWith(ABSENT)) await rm(file, { force: true });
    else await writeFileAtomic(file, await readFile(latest), 0o600);
    await rm(latest, { force: true });
    return this.status(tool);
  }
}
