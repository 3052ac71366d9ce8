import { useEffect, useState } from 'react';

export const PAGES = [
  { id: 'dashboard', title: 'Dashboard' },
  { id: 'providers', title: 'Providers' },
  { id: 'accounts', title: 'Accounts' },
  { id: 'requests', title: 'Requests' },
  { id: 'usage', title: 'Usage' },
  { id: 'config', title: 'Config' },
  { id: 'connect', title: 'Connect tools' },
  { id: 'settings', title: 'Settings' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

export interface Route {
  page: PageId;
  /** What follows the page in the hash: `#/requests/<id>` opens that request's details. */
  param?: string;
}

/** `#/providers`, `#/requests/<id>`; anything else is the dashboard (deep links cliproxy://open/<page>). */
export function parseHash(hash: string): Route {
  const [page, ...rest] = hash.replace(/^#\/?/, '').split('/');
  const found = PAGES.find((p) => p.id === page);
  if (!found) return { page: 'dashboard' };
  const param = rest.join('/');
  return param ? { page: found.id, param: decodeURIComponent(param) } : { page: found.id };
}

export const hrefOf = (page: PageId, param?: string) =>
  `#/${page}${param ? `/${encodeURIComponent(param)}` : ''}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function navigate(page: PageId, param?: string): void {
  window.location.hash = hrefOf(page, param);
}
