import { describe, expect, it } from 'vitest';
import { record } from '../../test-utils/records';
import { filtering, matches, NO_FILTERS } from './filters';

const log = [
  record({
    model: 'mini',
    resolved_model: 'gpt-4o-mini',
    provider: 'openai',
    status: 200,
    client_key: 'laptop',
  }),
  record({
    model: 'sonnet',
    resolved_model: 'claude-sonnet-4-5',
    provider: 'claude',
    status: 429,
    client_key: 'ci',
  }),
  record({ model: 'mini', provider: 'openrouter', status: 502, client_key: null }),
];
const kept = (filters: Partial<typeof NO_FILTERS>) =>
  log.filter((r) => matches(r, { ...NO_FILTERS, ...filters })).map((r) => log.indexOf(r));

describe('request filters', () => {
  it('keeps everything when none is set', () => {
    expect(filtering(NO_FILTERS)).toBe(false);
    expect(kept({})).toEqual([0, 1, 2]);
  });

  it('filter by model (the asked name or the resolved one, any case), provider, outcome and client key', () => {
    expect(kept({ model: 'MINI' })).toEqual([0, 2]);
    expect(kept({ model: 'claude-sonnet' })).toEqual([1]);
    expect(kept({ provider: 'claude' })).toEqual([1]);
    expect(kept({ status: 'errors' })).toEqual([1, 2]);
    expect(kept({ status: 'ok' })).toEqual([0]);
    expect(kept({ clientKey: 'LAP' })).toEqual([0]);
    expect(kept({ model: 'mini', status: 'errors' })).toEqual([2]);
    expect(filtering({ ...NO_FILTERS, status: 'errors' })).toBe(true);
  });
});
