import { describe, expect, it } from 'vitest';
import { parseConfigText } from './loader';
import { CONFIG_TEMPLATE } from './template';

function issuesOf(text: string) {
  const result = parseConfigText(text);
  if (result.ok) throw new Error('expected the config to be invalid');
  return result.issues;
}

describe('parseConfigText', () => {
  it('fills defaults for an empty file', () => {
    const result = parseConfigText('');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      host: '127.0.0.1',
      port: 8317,
      api_keys: [],
      request_retry: 1,
      routing_strategy: 'round_robin',
      max_body_mb: 20,
      providers: [],
      timeouts: { connect: 10_000, first_byte: 300_000, idle: 120_000, total: 1_800_000 },
      usage_db: '~/.cliproxy/usage.db',
      usage_retention_days: 90,
      log_bodies: false,
      log_body_max_bytes: 65_536,
      allowed_hosts: [],
      allowed_origins: [],
    });
    expect(result.config.management_secret).toBeUndefined();
    expect(result.config.proxy_url).toBeUndefined();
  });

  it('refuses values outside the documented bounds, naming the key', () => {
    const refused = (text: string, key: string) => {
      const result = parseConfigText(text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(JSON.stringify(result.issues)).toContain(key);
    };
    refused('management_secret: too-short\n', 'management_secret');
    refused('log_body_max_bytes: 512\n', 'log_body_max_bytes');
    refused('log_body_max_bytes: 2000000\n', 'log_body_max_bytes');
    refused('usage_retention_days: 0\n', 'usage_retention_days');
    refused('request_retry: 11\n', 'request_retry');
    expect(parseConfigText('management_secret: sixteen-chars-ok\n').ok).toBe(true);
  });

  it('accepts the first-run template', () => {
    expect(parseConfigText(CONFIG_TEMPLATE).ok).toBe(true);
  });

  it('parses providers with durations and model defaults', () => {
    const result = parseConfigText(`
providers:
  - name: my-openai
    type: openai
    api_key: sk-test
    cooldown: 5m
    models:
      - name: gpt-4o-mini
        alias: mini
`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [provider] = result.config.providers;
    expect(provider).toMatchObject({ enabled: true, auth_type: 'api_key', priority: 0, cooldown: 300_000 });
    expect(provider?.models[0]).toEqual({ name: 'gpt-4o-mini', alias: 'mini', enabled: true });
  });

  it('points a wrong value at its line and column with the key path', () => {
    const issues = issuesOf(`port: 8317
providers:
  - name: a
    type: openai
    api_key: k
    cooldown: soon
`);
    expect(issues).toEqual([
      {
        path: 'providers[0].cooldown',
        line: 6,
        col: 15,
        message: 'invalid duration "soon": use e.g. 30s, 5m or 1h',
      },
    ]);
  });

  it('names unknown keys at the key itself', () => {
    const issues = issuesOf('port: 1\nprovders: []\n');
    expect(issues).toEqual([{ path: 'provders', line: 2, col: 1, message: 'unknown key "provders"' }]);
  });

  it('lists the allowed values of an enum', () => {
    const [issue] = issuesOf('providers:\n  - {name: a, type: bard, api_key: k}\n');
    expect(issue?.path).toBe('providers[0].type');
    expect(issue?.line).toBe(2);
    expect(issue?.message).toContain('"openai"');
  });

  it('reports a missing required key at its parent', () => {
    const [issue] = issuesOf('providers:\n  - type: openai\n    api_key: k\n');
    expect(issue).toMatchObject({
      path: 'providers[0].name',
      line: 2,
      col: 5,
      message: 'string is required',
    });
  });

  it('reports YAML syntax errors with their position', () => {
    const [issue] = issuesOf('port: 8317\nproviders: [\n');
    expect(issue?.line).toBeGreaterThanOrEqual(2);
    expect(issue?.path).toBe('');
  });

  it('refuses duplicate provider names and duplicate model names', () => {
    const issues = issuesOf(`providers:
  - {name: a, type: openai, api_key: k, models: [{name: m}, {name: m}]}
  - {name: a, type: openai, api_key: k}
`);
    expect(issues.map((i) => i.path).sort()).toEqual(['providers[0].models[1].name', 'providers[1].name']);
  });

  it('requires api_key for api_key providers and endpoint for openai_compatible', () => {
    const issues = issuesOf('providers:\n  - {name: a, type: openai_compatible}\n');
    expect(issues.map((i) => i.path).sort()).toEqual(['providers[0].api_key', 'providers[0].endpoint']);
  });

  it('refuses a non-loopback host without api_keys', () => {
    const [issue] = issuesOf('host: 0.0.0.0\n');
    expect(issue).toMatchObject({ path: 'host', line: 1, col: 7 });
    expect(issue?.message).toContain('set api_keys');
    expect(parseConfigText('host: 0.0.0.0\napi_keys: [k1]\n').ok).toBe(true);
  });

  it('applies command-line overrides over the file, and validates them', () => {
    const result = parseConfigText('port: 1000\n', { port: 2000, host: 'localhost' });
    expect(result.ok && result.config.port).toBe(2000);
    expect(parseConfigText('', { host: '10.0.0.1' }).ok).toBe(false);
  });

  it('accepts client keys as strings or named objects', () => {
    const result = parseConfigText('api_keys: [k1, {key: k2, name: laptop}]\n');
    expect(result.ok && result.config.api_keys).toEqual(['k1', { key: 'k2', name: 'laptop' }]);
  });

  it('gives the same hash for the same text', () => {
    expect(parseConfigText('port: 1\n').hash).toBe(parseConfigText('port: 1\n').hash);
    expect(parseConfigText('port: 1\n').hash).not.toBe(parseConfigText('port: 2\n').hash);
  });
});
