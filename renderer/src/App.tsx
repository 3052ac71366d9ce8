import { type ReactNode, useEffect, useRef } from 'react';
import { MANAGEMENT_OFF_HINT } from './bridge/types';
import { PAGE_RENDERERS } from './pages/registry';
import { PAGES, type PageId, type Route, useRoute } from './routes';
import { useApp } from './store/context';
import { type ResolvedTheme, useResolvedTheme } from './theme';

function ConnectionBanner() {
  const connection = useApp((s) => s.connection);
  if (connection.kind === 'open' || connection.kind === 'connecting') return null;
  const text =
    connection.kind === 'retrying'
      ? `Live updates paused: ${connection.reason}. Retrying in ${Math.ceil(connection.inMs / 1000)} s.`
      : connection.kind === 'unauthorized'
        ? 'The management secret is no longer accepted. Reload the page and enter the current one.'
        : MANAGEMENT_OFF_HINT;
  return (
    <div className="banner" role="status">
      {text}
    </div>
  );
}

export type PageRenderer = (props: { route: Route; theme: ResolvedTheme }) => ReactNode;

export function App({
  pages = PAGE_RENDERERS,
  onSignOut,
}: {
  pages?: Partial<Record<PageId, PageRenderer>>;
  onSignOut?: () => void;
}) {
  const route = useRoute();
  const prefs = useApp((s) => s.prefs);
  const loadError = useApp((s) => s.loadError);
  const loaded = useApp((s) => s.app !== null);
  const theme = useResolvedTheme(prefs?.theme);
  const main = useRef<HTMLElement>(null);
  const title = PAGES.find((p) => p.id === route.page)?.title ?? 'Dashboard';

  useEffect(() => {
    document.title = `${title} · CLIProxy++`;
  }, [title]);

  const render = pages[route.page];
  return (
    <div className="shell">
      <button type="button" className="skip-link button" onClick={() => main.current?.focus()}>
        Skip to content
      </button>
      <nav className="sidebar" aria-label="Pages">
        <div className="brand">CLIProxy++</div>
        <ul>
          {PAGES.map((p) => (
            <li key={p.id}>
              <a href={`#/${p.id}`} aria-current={p.id === route.page ? 'page' : undefined}>
                {p.title}
              </a>
            </li>
          ))}
        </ul>
        {onSignOut ? (
          <button type="button" className="button small sign-out" onClick={onSignOut}>
            Forget secret
          </button>
        ) : null}
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        <ConnectionBanner />
        {loadError ? (
          <div className="card warn" role="alert">
            <h1>Cannot load the engine's state</h1>
            <p>{loadError}</p>
          </div>
        ) : !loaded ? (
          <p className="muted" role="status">
            Loading…
          </p>
        ) : render ? (
          render({ route, theme })
        ) : (
          <p>This page is not available yet.</p>
        )}
      </main>
    </div>
  );
}
