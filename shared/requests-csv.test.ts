import { describe, expect, it } from 'vitest';
import type { RequestRecord } from './records';
import { csvCell, REQUEST_CSV_HEADER, requestCsvLine } from './requests-csv';

describe('request log CSV', () => {
  it('quotes what needs quoting and writes attempts as JSON', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"\nnow')).toBe('"say ""hi""\nnow"');
    expect(csvCell(null)).toBe('');
    const record = {
      id: 'r1',
      started_at: 1,
      client_key: null,
      model: 'mini',
      attempts: [{ provider: 'a', status: 200 }],
      error: 'upstream said "no", twice',
    } as unknown as RequestRecord;
    const cells = requestCsvLine(record);
    expect(REQUEST_CSV_HEADER.startsWith('id,started_at,client_key,inbound_format,model')).toBe(true);
    expect(cells.startsWith('r1,1,,,mini,')).toBe(true);
    expect(cells).toContain('"[{""provider"":""a"",""status"":200}]"');
    expect(cells).toContain('"upstream said ""no"", twice"');
  });
});
