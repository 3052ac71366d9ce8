import { describe, expect, it, vi } from 'vitest';
import type { RequestRecord } from '../../../shared/records';
import { REQUEST_CSV_HEADER } from '../../../shared/requests-csv';
import { requestsCsvThroughContract } from './csv-export';

const record = (n: number) =>
  ({ id: `r${n}`, started_at: n, model: 'mini', attempts: [] }) as unknown as RequestRecord;

describe('requestsCsvThroughContract', () => {
  it('pages through the whole log by cursor and writes it oldest first', async () => {
    // 2,500 records, newest first, served 1,000 at a time like the store does.
    const all = Array.from({ length: 2500 }, (_, i) => record(2500 - i));
    const queryRequests = vi.fn(async ({ limit = 50, before }: { limit?: number; before?: number }) => {
      const start = before === undefined ? 0 : all.findIndex((r) => r.started_at < before);
      const items = all.slice(start, start + limit);
      const more = start + limit < all.length;
      return { items, ...(more ? { next: items.at(-1)?.started_at } : {}) };
    });
    const csv = await requestsCsvThroughContract(queryRequests as never);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(REQUEST_CSV_HEADER);
    expect(lines).toHaveLength(2501);
    expect(lines[1]?.startsWith('r1,1,')).toBe(true);
    expect(lines.at(-1)?.startsWith('r2500,2500,')).toBe(true);
    expect(queryRequests).toHaveBeenCalledTimes(3);
  });

  it('writes just the header for an empty log', async () => {
    const csv = await requestsCsvThroughContract((async () => ({ items: [] })) as never);
    expect(csv).toBe(`${REQUEST_CSV_HEADER}\n`);
  });
});
