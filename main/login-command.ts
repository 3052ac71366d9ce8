import { spawn } from 'node:child_process';
import { AuthManager } from './auth/manager';
import { AccountStore } from './auth/store';
import { formatIssue, loadConfigFile } from './config/loader';
import { defaultConfigPath, expandHome } from './config/paths';
import { createLogger, Redactor } from './log';

/** Opens a URL in the system browser; best effort, the URL is printed anyway. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    spawn(command, args, { stdio: 'ignore', detached: true })
      .on('error', () => undefined)
      .unref();
  } catch {
    // no browser here: the printed URL is the fallback
  }
}

export interface LoginIO {
  out(line: string): void;
  err(line: string): void;
}

/** `cliproxy login <provider> [--no-browser] [--config <file>]`: signs in and waits for the result. */
export async function loginCommand(
  provider: string,
  options: { configPath?: string; noBrowser?: boolean },
  io: LoginIO,
): Promise<number> {
  const configPath = options.configPath ?? defaultConfigPath();
  const loaded = await loadConfigFile(configPath);
  if (!loaded.ok) {
    for (const issue of loaded.issues) io.err(formatIssue(configPath, issue));
    return 1;
  }
  const store = new AccountStore(expandHome(loaded.config.auth_dir));
  await store.load();
  const logger = createLogger({ redactor: new Redactor(), level: 'warn' });
  const auth = new AuthManager({ store, providers: () => loaded.config.providers, logger });
  let start: Awaited<ReturnType<AuthManager['startLogin']>>;
  try {
    start = await auth.startLogin(provider);
  } catch (error) {
    io.err(`Cannot sign in: ${(error as Error).message}`);
    return 1;
  }
  if (start.kind === 'device') {
    io.out(`Open ${start.verification_uri} and enter the code:\n\n    ${start.user_code}\n`);
    if (!options.noBrowser && start.verification_uri) openBrowser(start.verification_uri);
  } else {
    io.out(
      `Open this URL to sign in${options.noBrowser ? '' : ' (opening your browser)'}:\n\n    ${start.url}\n`,
    );
    if (!options.noBrowser && start.url) openBrowser(start.url);
  }
  io.out('Waiting for the sign-in to finish… (Ctrl+C to cancel)');
  for (;;) {
    const state = auth.login(start.id);
    if (state && state.status !== 'pending') {
      if (state.status === 'ok') {
        io.out(`Signed in as ${state.account?.identity} (account ${state.account?.id}).`);
        return 0;
      }
      io.err(`Sign-in ${state.status}${state.error ? `: ${state.error}` : ''}`);
      return 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
