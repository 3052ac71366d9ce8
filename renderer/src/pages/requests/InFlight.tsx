import { useEffect, useState } from 'react';
import type { RequestStarted } from '../../../../shared/records';

const SHOWN = 20;

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Requests being served right now, with how long each has run; they move to the log when done. */
export function InFlight({ requests }: { requests: RequestStarted[] }) {
  const now = useNow(1_000);
  if (requests.length === 0) return null;
  return (
    <section className="card" aria-labelledby="in-flight-title">
      <h2 id="in-flight-title">In flight ({requests.length})</h2>
      <table className="table" aria-label="Requests in flight">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Client key</th>
            <th scope="col">Model</th>
            <th scope="col">Kind</th>
            <th scope="col" className="num">
              Running for
            </th>
          </tr>
        </thead>
        <tbody>
          {requests.slice(0, SHOWN).map((r) => (
            <tr key={r.id}>
              <td>{new Date(r.started_at).toLocaleTimeString()}</td>
              <td>{r.client_key ?? '—'}</td>
              <td>
                <code>{r.model}</code>
              </td>
              <td>{r.stream ? 'stream' : 'whole answer'}</td>
              <td className="num">{Math.max(0, Math.round((now - r.started_at) / 1000))} s</td>
            </tr>
          ))}
        </tbody>
      </table>
      {requests.length > SHOWN ? <p className="muted small">and {requests.length - SHOWN} more</p> : null}
    </section>
  );
}
