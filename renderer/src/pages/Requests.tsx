import { useMemo, useState } from 'react';
import type { RequestRecord } from '../../../shared/records';
import { EmptyState } from '../components/EmptyState';
import { ErrorText } from '../components/ErrorText';
import { hrefOf, navigate, type Route } from '../routes';
import { useApp, useBridge } from '../store/context';
import { mergeRecent } from '../store/recent';
import { filtering, matches, NO_FILTERS, type RequestFilters } from './requests/filters';
import { InFlight } from './requests/InFlight';
import { RequestDetails } from './requests/RequestDetails';
import { RequestRow } from './requests/RequestRow';

const SHOWN = 300;
const PAGE_SIZE = 200;
const MAX_PAGES_PER_LOAD = 10;
const WANTED_MATCHES = 50;

export function Requests({ route }: { route: Route }) {
  const bridge = useBridge();
  const recent = useApp((s) => s.recent);
  const inFlight = useApp((s) => s.inFlight);
  const providers = useApp((s) => s.app?.providers ?? []);
  const [older, setOlder] = useState<RequestRecord[]>([]);
  const [cursor, setCursor] = useState<number | undefined | null>(undefined);
  const [filters, setFilters] = useState<RequestFilters>(NO_FILTERS);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);

  const all = useMemo(
    () => (older.length ? mergeRecent(recent, older, Number.POSITIVE_INFINITY) : recent),
    [recent, older],
  );
  const filtered = useMemo(() => all.filter((r) => matches(r, filters)), [all, filters]);
  const selected = route.param ? all.find((r) => r.id === route.param) : undefined;

  const [loading, setLoading] = useState(false);
  const [searchedTo, setSearchedTo] = useState<number | null>(null);

  /**
   * The next pages of the stored log. With a filter set, pages keep coming until enough of them
   * match (or the log ends), so rare matches do not take a click per 200 rows.
   */
  const loadOlder = async () => {
    setLoading(true);
    setError(null);
    try {
      const oldest = all.at(-1)?.started_at;
      let next: number | undefined | null = cursor;
      let found = 0;
      const fetched: RequestRecord[] = [];
      for (let page = 0; page < (filtering(filters) ? MAX_PAGES_PER_LOAD : 1) && next !== null; page++) {
        const answer = await bridge.queryRequests({
          limit: PAGE_SIZE,
          ...(typeof next === 'number' ? { before: next } : {}),
          ...(filters.provider ? { provider: filters.provider } : {}),
        });
        const fresh = answer.items.filter((r) => oldest === undefined || r.started_at <= oldest);
        fetched.push(...fresh);
        found += fresh.filter((r) => matches(r, filters)).length;
        next = answer.next ?? null;
        if (found >= WANTED_MATCHES) break;
      }
      setOlder((o) => [...o, ...fetched]);
      setCursor(next);
      setSearchedTo(fetched.at(-1)?.started_at ?? searchedTo);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  };

  const exportCsv = async () => {
    setError(null);
    setExporting(true);
    try {
      await bridge.downloadRequestsCsv?.();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setExporting(false);
    }
  };

  // Older pages were fetched for the previous provider filter: start over for the new one.
  const set = (patch: Partial<RequestFilters>) => {
    if (patch.provider !== undefined && patch.provider !== filters.provider) {
      setOlder([]);
      setCursor(undefined);
      setSearchedTo(null);
    }
    setFilters((f) => ({ ...f, ...patch }));
  };
  return (
    <div className="page">
      <div className="row spread">
        <h1>Requests</h1>
        {bridge.downloadRequestsCsv ? (
          <button
            type="button"
            className="button"
            onClick={exportCsv}
            disabled={exporting}
            title="Every logged request, oldest first, as CSV"
          >
            {exporting ? 'Exporting…' : 'Export CSV'}
          </button>
        ) : null}
      </div>
      <ErrorText error={error} />
      <InFlight requests={inFlight} />
      <fieldset className="card filters">
        <legend className="visually-hidden">Filters</legend>
        <div className="field">
          <label htmlFor="f-model">Model</label>
          <input id="f-model" value={filters.model} onChange={(e) => set({ model: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="f-provider">Provider</label>
          <select
            id="f-provider"
            value={filters.provider}
            onChange={(e) => set({ provider: e.target.value })}
          >
            <option value="">All providers</option>
            {providers.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-status">Status</label>
          <select
            id="f-status"
            value={filters.status}
            onChange={(e) => set({ status: e.target.value as RequestFilters['status'] })}
          >
            <option value="all">All</option>
            <option value="ok">Succeeded</option>
            <option value="errors">Failed</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-key">Client key</label>
          <input id="f-key" value={filters.clientKey} onChange={(e) => set({ clientKey: e.target.value })} />
        </div>
      </fieldset>
      {all.length === 0 ? (
        <EmptyState title="No requests yet">
          <p>
            Requests appear here live as they finish. Point a tool at the proxy (see{' '}
            <a href={hrefOf('connect')}>Connect tools</a>) and send one.
          </p>
        </EmptyState>
      ) : (
        <div className="card table-wrap">
          <table className="table" aria-label="Request log">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Client key</th>
                <th scope="col">Model → resolved</th>
                <th scope="col">Provider / account</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Attempts
                </th>
                <th scope="col" className="num">
                  TTFT
                </th>
                <th scope="col" className="num">
                  Duration
                </th>
                <th scope="col" className="num">
                  Tokens in / out
                </th>
                <th scope="col" className="num">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody>
              {filtered.slice(0, SHOWN).map((r) => (
                <RequestRow key={r.id} record={r} />
              ))}
            </tbody>
          </table>
          <p className="muted small" role="status">
            Showing {Math.min(filtered.length, SHOWN)} of {filtered.length} matching requests
            {searchedTo !== null
              ? ` (the log searched back to ${new Date(searchedTo).toLocaleString()})`
              : ''}
            {cursor === null ? '; that is the whole log.' : '.'}
          </p>
          {cursor !== null ? (
            <button type="button" className="button" onClick={loadOlder} disabled={loading}>
              {loading ? 'Loading…' : 'Load older requests'}
            </button>
          ) : null}
        </div>
      )}
      {selected ? <RequestDetails record={selected} onClose={() => navigate('requests')} /> : null}
    </div>
  );
}
