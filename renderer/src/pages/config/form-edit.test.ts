import { describe, expect, it } from 'vitest';
import { applyForm, readForm } from './form-edit';

const text = `# mine
port: 8317 # default
api_keys:
  - sk-a
  - { key: sk-b, name: laptop, rpm: 10 }
providers: []
`;

describe('the config form', () => {
  it('reads host, port, strategy and the plain keys', () => {
    expect(readForm(text)).toEqual({
      host: '127.0.0.1',
      port: '8317',
      routing_strategy: 'round_robin',
      api_keys: ['sk-a'],
      structuredKeys: 1,
    });
    expect(readForm('port: [')).toHaveProperty('error');
  });

  it('writes only what changed and keeps comments and structured keys', () => {
    const out = applyForm(text, {
      host: '127.0.0.1',
      port: '9000',
      routing_strategy: 'fill_first',
      api_keys: ['sk-c', ''],
    });
    expect(out).toContain('# mine');
    expect(out).toContain('port: 9000 # default');
    expect(out).not.toContain('host:');
    expect(out).toContain('routing_strategy: fill_first');
    expect(out).toContain('- sk-c');
    expect(out).toContain('name: laptop');
    expect(out).not.toContain('sk-a');
  });

  it('adds api_keys when there were none', () => {
    expect(
      applyForm('port: 1\n', {
        host: '127.0.0.1',
        port: '1',
        routing_strategy: 'round_robin',
        api_keys: ['k'],
      }),
    ).toBe('port: 1\napi_keys: [ k ]\n');
  });
});
