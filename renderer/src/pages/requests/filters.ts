import type { RequestRecord } from '../../../../shared/records';

export interface RequestFilters {
  model: string;
  provider: string;
  status: 'all' | 'ok' | 'errors';
  clientKey: string;
}

export const NO_FILTERS: RequestFilters = { model: '', provider: '', status: 'all', clientKey: '' };

/** Whether any filter is set. */
export function filtering(f: RequestFilters): boolean {
  return f.model !== '' || f.provider !== '' || f.status !== 'all' || f.clientKey !== '';
}

export function matches(record: RequestRecord, f: RequestFilters): boolean {
  if (f.model) {
    const needle = f.model.toLowerCase();
    if (
      !record.model.toLowerCase().includes(needle) &&
      !(record.resolved_model ?? '').toLowerCase().includes(needle)
    )
      return false;
  }
  if (f.provider && record.provider !== f.provider) return false;
  if (f.status === 'ok' && record.status >= 400) return false;
  if (f.status === 'errors' && record.status < 400) return false;
  if (f.clientKey && !(record.client_key ?? '').toLowerCase().includes(f.clientKey.toLowerCase()))
    return false;
  return true;
}
