import type { Api } from '../../../shared/contract';
import type { RequestRecord } from '../../../shared/records';
import { REQUEST_CSV_HEADER, requestCsvLine } from '../../../shared/requests-csv';

const PAGE = 1000;

/**
 * The whole request log as CSV through the contract (for the desktop window, which has no HTTP
 * download): pages newest → oldest by cursor, written oldest first like the engine's /requests.csv.
 */
export async function requestsCsvThroughContract(queryRequests: Api['queryRequests']): Promise<string> {
  const pages: RequestRecord[][] = [];
  let before: number | undefined;
  for (;;) {
    const page = await queryRequests({ limit: PAGE, ...(before !== undefined ? { before } : {}) });
    pages.push(page.items);
    if (page.next === undefined || page.items.length === 0) break;
    before = page.next;
  }
  const lines = [REQUEST_CSV_HEADER];
  for (let p = pages.length - 1; p >= 0; p--) {
    const items = pages[p] ?? [];
    for (let i = items.length - 1; i >= 0; i--) {
      const record = items[i];
      if (record) lines.push(requestCsvLine(record));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Hands a file to the browser's (or Electron's) download flow, which asks where to save it. */
export function saveAs(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
