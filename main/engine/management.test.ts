import type { ServerResponse } from 'node:http';
import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { type ManagementDeps, managementAuth } from './management';

/** Runs the guard once for `address`; the status it answered, or 'next' when it let the call through. */
function caller(guard: ReturnType<typeof managementAuth>) {
  return (address: string, token = 'wrong') => {
    let status: number | 'next' = 'next';
    const headers = new Map<string, unknown>();
    const res = {
      headersSent: false,
      statusCode: 200,
      setHeader: (name: string, value: unknown) => headers.set(name, value),
      hasHeader: (name: string) => headers.has(name),
      end() {
        status = res.statusCode;
      },
    };
    const req = { headers: { authorization: `Bearer ${token}` }, socket: { remoteAddress: address } };
    guard(req as unknown as Request, res as unknown as ServerResponse as never, () => undefined);
    return status;
  };
}

describe('managementAuth', () => {
  it('throttles an address after five failures, and keeps doing so while it sweeps out many expired ones', () => {
    let now = 0;
    const deps = { state: () => ({ config: { management_secret: 'the-secret-0123456789' } }) };
    const call = caller(managementAuth(deps as unknown as ManagementDeps, () => now));
    for (let i = 0; i < 1_500; i++) expect(call(`10.0.${i >> 8}.${i & 255}`)).toBe(401);
    now = 59_000;
    for (let i = 0; i < 5; i++) expect(call('192.168.1.9')).toBe(401);
    expect(call('192.168.1.9')).toBe(429);
    now = 61_000; // the 1,500 have expired; this failure sweeps them
    expect(call('172.16.0.1')).toBe(401);
    expect(call('192.168.1.9')).toBe(429); // still inside its own window
    expect(call('192.168.1.9', 'the-secret-0123456789')).toBe(429);
    now = 120_000;
    expect(call('192.168.1.9', 'the-secret-0123456789')).toBe('next');
  });
});
