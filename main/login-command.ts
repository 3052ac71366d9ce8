import { readKiroTokenFile } from './auth/kiro-token-file';
import { AuthManager } from './auth/manager';
import { AccountStore } from './auth/store';
import { formatIssue, loadConfigFile } from './config/loader';
import { defaultConfigPath, expandHome } from './config/paths';
import { openInBrowser } from './launcher/open-browser';
import { createLogger, Redactor } from './log';

export interface LoginIO {
  out(line: string): void;
  err(line: string): void;
}

/**
 * `cliproxy login <provider> [--no-browser] [--config <file>]`: signs in and waits for the result.
 * With `importFrom` (a Kiro provider), takes over the sign-in Kiro itself saved instead.
 */
export async function loginCommand(
  provider: string,
  options: { configPath?: string; noBrowser?: boolean; importFrom?: string | true },
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
  const redactor = new Redactor();
  redactor.addSource(() => store.secrets());
  const logger = createLogger({ redactor, level: 'warn' });
  const auth = new AuthManager({
    store,
    providers: () => loaded.config.providers,
    logger,
    proxyUrl: () => loaded.config.proxy_url,
  });
  const fail = (text: string) => io.err(redactor.redact(text));
  if (options.importFrom !== undefined) {
    try {
      const text = await readKiroTokenFile(options.importFrom === true ? undefined : options.importFrom);
      const account = await auth.importKiroToken(provider, text);
      io.out(`Imported Kiro's sign-in as ${account.identity} (account ${account.id}).`);
      return 0;
    } catch (error) {
      fail(`Cannot import: ${(error as Error).message}`);
      return 1;
    }
  }
  let start: Awaited<ReturnType<AuthManager['startLogin']>>;
  try {
    start = await auth.startLogin(provider);
  } catch (error) {
    fail(`Cannot sign in: ${(error as Error).message}`);
    return 1;
  }
  const url = start.kind === 'device' ? start.verification_uri : start.url;
  const opened = !options.noBrowser && url !== undefined && openInBrowser(url);
  io.out(
    start.kind === 'device'
      ? `Open ${url} and enter the code:\n\n    ${start.user_code}\n`
      : `Open this URL to sign in${opened ? ' (your browser is opening it)' : ''}:\n\n    ${url}\n`,
  );
  io.out('Waiting for the sign-in to finish… (Ctrl+C to cancel)');
  for (;;) {
    const state = auth.login(start.id);
    if (state && state.status !== 'pending') {
      if (state.status === 'ok') {
        io.out(`Signed in as ${state.account?.identity} (account ${state.account?.id}).`);
        const project = state.account?.metadata.project_id;
        if (state.account?.type === 'gemini_cli' && project)
          io.out(
            `Requests run in Google Cloud project ${project}; another can be picked on the Accounts page.`,
          );
        return 0;
      }
      fail(`Sign-in ${state.status}${state.error ? `: ${state.error}` : ''}`);
      return 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
