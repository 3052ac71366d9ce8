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
