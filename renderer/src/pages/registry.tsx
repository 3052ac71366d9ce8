import type { PageRenderer } from '../App';
import type { PageId } from '../routes';
import { Dashboard } from './Dashboard';

export const PAGE_RENDERERS: Partial<Record<PageId, PageRenderer>> = {
  dashboard: ({ theme }) => <Dashboard theme={theme} />,
};
