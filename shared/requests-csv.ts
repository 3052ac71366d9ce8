import type { RequestRecord } from './records';

/** Every field of a request record, in order: the usage table's columns and the CSV export's (attempts as JSON). */
export const REQUEST_FIELDS = [
  'id',
  'started_at',
  'client_key',
  'inbound_format',
  'model',
  'resolved_model',
  'provider',
  'account',
  'attempts',
  'status',
  'error',
  'stream',
  'ttft_ms',
  'duration_ms',
  'input_tokens',
  'output_tokens',
  'cached_tokens',
  'reasoning_tokens',
  'output_tokens_per_second',
  'cost_usd',
  'subscription',
  'request_bytes',
  'response_bytes',
] as const satisfies ReadonlyArray<keyof RequestRecord>;

// Compile-time check the other way: a field added to RequestRecord must be added to the export.
type Missing = Exclude<keyof RequestRecord, (typeof REQUEST_FIELDS)[number]>;
const everyFieldExported: [Missing] extends [never] ? true : Missing = true;
void everyFieldExported;

/** RFC 4180 quoting: cells with a quote, comma or line break are quoted, quotes doubled. */
export function csvCell(value: unknown): string {
  const text =
    value === null || value === undefined
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const REQUEST_CSV_HEADER = REQUEST_FIELDS.join(',');

export function requestCsvLine(record: RequestRecord): string {
  return REQUEST_FIELDS.map((column) => csvCell(record[column])).join(',');
}
