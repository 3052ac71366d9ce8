import { describe, expect, it } from 'vitest';
import type { RequestStarted } from '../../../shared/records';
import { record } from '../test-utils/records';
import { applyLive, MAX_IN_FLIGHT_AGE_MS } from './in-flight';

const started = (id: string, at: number): RequestStarted => ({
  id,
  started_at: at,
  client_key: null,
  inbound_format: 'openai-chat',
  model: 'mini',
  stream: true,
});

describe('applyLive', () => {
  it('adds starts, ends them with their records, newest first, and passes the records on', () => {
    const done = record({ id: 'b' });
    const { inFlight, finished } = applyLive(
      [started('a', 1_000)],
      [
        { started: started('b', 2_000) },
        { started: started('c', 3_000) },
        { finished: done },
        { ended: 'a' },
      ],
      4_000,
    );
    expect(inFlight.map((r) => r.id)).toEqual(['c']);
    expect(finished).toEqual([done]);
  });

  it('keeps the same list when a batch changes nothing in it', () => {
    const list = [started('a', 1_000)];
    const result = applyLive(list, [{ finished: record({ id: 'not-watched' }) }, { ended: 'other' }], 2_000);
    expect(result.inFlight).toBe(list);
    expect(result.finished).toHaveLength(1);
  });

  it('forgets an entry older than any request may run (its record was missed)', () => {
    const now = 10 * MAX_IN_FLIGHT_AGE_MS;
    const { inFlight } = applyLive(
      [started('old', now - MAX_IN_FLIGHT_AGE_MS - 1), started('new', now - 5)],
      [],
      now,
    );
    expect(inFlight.map((r) => r.id)).toEqual(['new']);
  });
});
