import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { formatIssue, loadConfigFile } from './config/loader';
import { expandHome } from './config/paths';
import { openInBrowser } from './launcher/open-browser';
import { loginCommand } from './login-command';
import { ConfigInvalidError, type Services, startServices } from './services';
import { VERSION } from './version';

const USAGE = `CLIProxy++ ${VERSION} — a local proxy for every LLM tool you use

Usage:
  cliproxy serve [--config <file>] [--port <n>] [--host <h>] [--open]
  cliproxy config check <file>
  cliproxy login <provider-name> [--no-browser] [--config <file>]
  cliproxy login <kiro-provider-name> --import [<kiro-auth-token.json>] [--config <file>]
  cliproxy --version

Without --config, serve uses ~/.cliproxy/config.yaml (created on first run).`;

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

const defaultIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Runs a command that finishes (everything but serve); returns the exit code. */
export async function runCommand(argv: string[], io: CliIO = defaultIO): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    io.out(VERSION);
    return 0;
  }
  if (command === 'config' && sub === 'check') {
    const file = rest[0];
    if (!file || rest.length > 1) {
      io.err('usage: cliproxy config check <file>');
      return 2;
    }
    const result = await loadConfigFile(expandHome(file));
    if (result.ok) {
      io.out(`${file}: valid (${plural(result.config.providers.length, 'provider')})`);
      return 0;
    }
    for (const issue of result.issues) io.out(formatIssue(file, issue));
    return 1;
  }
  if (command === 'login') {
    const { values, positionals } = parseArgs({
      args: argv.slice(1),
      options: {
        config: { type: 'string' },
        'no-browser': { type: 'boolean' },
        import: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    const [provider, importFile] = positionals;
    if (!provider || positionals.length > (values.import ? 2 : 1)) {
      io.err('usage: cliproxy login <provider-name> [--no-browser] [--config <file>]');
      io.err(
        '       cliproxy login <kiro-provider-name> --import [<kiro-auth-token.json>] [--config <file>]',
      );
      return 2;
    }
    return loginCommand(
      provider,
      {
        ...(values.config ? { configPath: expandHome(values.config) } : {}),
        noBrowser: values['no-browser'] === true,
        ...(values.import ? { importFrom: importFile ? expandHome(importFile) : true } : {}),
      },
      io,
    );
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  io.err(`unknown command: ${argv.join(' ')}\n\n${USAGE}`);
  return 2;
}

export interface ServeArgs {
  configPath?: string;
  port?: number;
  host?: string;
  /** Serve the dashboard at /ui and open it in the browser. */
  open?: boolean;
}

export function parseServeArgs(argv: string[]): ServeArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      open: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  const result: ServeArgs = {};
  if (values.open) result.open = true;
  if (values.config) result.configPath = expandHome(values.config);
  if (values.host) result.host = values.host;
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      throw new Error(`--port must be 0..65535, got ${values.port}`);
    result.port = port;
  }
  return result;
}

async function serve(argv: string[]): Promise<void> {
  // Handlers go in first, so a signal that arrives during startup still shuts down gracefully.
  let services: Services | undefined;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 5_000);
    force.unref();
    if (!services) return; // startup finishes, then sees `stopping`
    services.logger.info(`${signal}: shutting down`);
    services.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  // With --open and no management_secret in the file, the dashboard gets a secret for this run
  // only; it reaches the browser in the URL fragment, which is never sent to a server.
  const sessionSecret = randomBytes(24).toString('base64url');
  let args: ServeArgs = {};
  try {
    args = parseServeArgs(argv);
    services = await startServices({
      configPath: args.configPath,
      overrides: {
        ...(args.host ? { host: args.host } : {}),
        ...(args.port !== undefined ? { port: args.port } : {}),
        ...(args.open ? { fallbackManagementSecret: sessionSecret } : {}),
      },
    });
  } catch (error) {
    if (error instanceof ConfigInvalidError) {
      process.stderr.write(`The config is invalid, not starting:\n${error.message}\n`);
    } else {
      const err = error as NodeJS.ErrnoException;
      const hint = err.code === 'EADDRINUSE' ? ' (another process uses this port: pick one with --port)' : '';
      process.stderr.write(`Could not start: ${err.message}${hint}\n`);
    }
    process.exit(1);
  }
  process.stdout.write(`CLIProxy++ listening on ${services.engine.url()}\n`);
  if (args.open) announceDashboard(services, sessionSecret);
  if (stopping) {
    stopping = false;
    shutdown('signal during startup');
  }
}

function announceDashboard(services: Services, sessionSecret: string): void {
  const dashboard = `${services.engine.url()}/ui/`;
  const usesSessionSecret = services.engine.state.config.management_secret === sessionSecret;
  const opened = openInBrowser(usesSessionSecret ? `${dashboard}#secret=${sessionSecret}` : dashboard);
  const hint = usesSessionSecret
    ? opened
      ? ''
      : ' (set management_secret in the config to sign in to it from a browser)'
    : ' (sign in with your management_secret)';
  process.stdout.write(`Dashboard: ${dashboard}${opened ? ' — opened in your browser' : ''}${hint}\n`);
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  if (argv[0] === 'serve') {
    await serve(argv.slice(1));
    return;
  }
  process.exitCode = await runCommand(argv);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
