import { lazy, Suspense } from 'react';
import type { PageRenderer } from '../App';
import type { PageId } from '../routes';
import { Accounts } from './Accounts';
import { Connect } from './Connect';
import { Dashboard } from './Dashboard';
import { Providers } from './Providers';
import { Requests } from './Requests';
import { Settings } from './Settings';
import { Usage } from './Usage';

// CodeMirror is most of the bundle; it loads when the Config page is first opened.
const Config = lazy(() => import('./Config'));

export const PAGE_RENDERERS: Record<PageId, PageRenderer> = {
  dashboard: ({ theme }) => <Dashboard theme={theme} />,
  providers: () => <Providers />,
  accounts: () => <Accounts />,
  requests: ({ route }) => <Requests route={route} />,
  usage: ({ theme }) => <Usage theme={theme} />,
  config: ({ theme }) => (
    <Suspense fallback={<p className="muted">Loading the editor…</p>}>
      <Config theme={theme} />
    </Suspense>
  ),
  connect: () => <Connect />,
  settings: () => <Settings />,
};
