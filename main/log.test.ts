import { describe, expect, it } from 'vitest';
import { createLogger, Redactor } from './log';

describe('Redactor', () => {
  it('scrubs registered secrets and header-shaped credentials', () => {
    const redactor = new Redactor();
    redactor.setSecrets(['sk-upstream-secret-123', 'short']);
    const out = redactor.redact(
      'key sk-upstream-secret-123 Authorization: Bearer eyJhbGci.abc x-api-key: sk-ant-999 url?key=AIzaXYZ&alt=sse',
    );
    expect(out).not.toContain('sk-upstream-secret-123');
    expect(out).not.toContain('eyJhbGci');
    expect(out).not.toContain('sk-ant-999');
    expect(out).not.toContain('AIzaXYZ');
    expect(out).toContain('alt=sse');
  });

  it('scrubs the current tokens of signed-in accounts, and token fields in JSON and forms', () => {
    const redactor = new Redactor();
    let tokens = ['ya29.first-access-token'];
    redactor.addSource(() => [...tokens, undefined, 'tiny']);
    expect(redactor.redact('sent ya29.first-access-token')).toBe('sent [redacted]');
    tokens = ['ya29.second-access-token'];
    expect(redactor.redact('sent ya29.second-access-token')).toBe('sent [redacted]');
    expect(redactor.redact('tiny stays')).toBe('tiny stays');
    const out = redactor.redact(
      '{"access_token":"at-1","refresh_token": "rt-2","token":"tid=3;exp=4","accessToken":"aoa-5","expires_in":3600} grant_type=refresh_token&refresh_token=rt-6&client_id=c',
    );
    for (const secret of ['at-1', 'rt-2', 'tid=3', 'aoa-5', 'rt-6']) expect(out).not.toContain(secret);
    expect(out).toContain('"expires_in":3600');
    expect(out).toContain('grant_type=refresh_token&refresh_token=[redacted]&client_id=c');
  });

  it('replaces the longest secret first', () => {
    const redactor = new Redactor();
    redactor.setSecrets(['abcdef', 'abcdefghij']);
    expect(redactor.redact('x abcdefghij y')).toBe('x [redacted] y');
  });
});

describe('createLogger', () => {
  it('writes redacted lines at or above its level', () => {
    const lines: string[] = [];
    const redactor = new Redactor();
    redactor.setSecrets(['sk-secret-value']);
    const logger = createLogger({ level: 'info', redactor, write: (line) => lines.push(line) });
    logger.debug('hidden');
    logger.warn('upstream failed', { key: 'sk-secret-value', status: 401 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/WARN upstream failed key=\[redacted\] status=401$/);
  });
});
