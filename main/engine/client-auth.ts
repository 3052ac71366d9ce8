import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import type { ClientKeyConfig } from '../config/schema';

export type ClientKey = ClientKeyConfig;

/** Every place the four client APIs put their key; the first one present wins. */
export function presentedKey(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  const authorization = headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match?.[1]) return match[1].trim();
  }
  const direct = headers['x-api-key'] ?? headers['x-goog-api-key'];
  if (typeof direct === 'string' && direct) return direct.trim();
  return query.get('key') ?? undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Compares digests so the comparison time depends neither on where the strings differ nor on
 * their lengths, and checks every key so the loop does not leak which one matched.
 */
export function matchClientKey(
  presented: string | undefined,
  keys: readonly ClientKey[],
): ClientKey | undefined {
  if (presented === undefined) return undefined;
  const candidate = digest(presented);
  let found: ClientKey | undefined;
  for (const entry of keys) {
    if (timingSafeEqual(candidate, digest(entry.key)) && !found) found = entry;
  }
  return found;
}
