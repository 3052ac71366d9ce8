import { describe, expect, it } from 'vitest';
import { setProviderEnabledInText, setProviderPriorityInText, setTopLevelInText } from './edit';
import { parseConfigText } from './loader';

const text = `# my proxy
port: 8317 # the usual

providers:
  # work account, keep first
  - name: work
    type: openai
    api_key: sk-work
    models: [{name: gpt-4o}]
  - name: home # personal
    type: openai
    enabled: true
    api_key: sk-home
`;

describe('setProviderEnabledInText', () => {
  it('toggles one provider and keeps every comment', () => {
    const out = setProviderEnabledInText(text, 'home', false);
    expect(out).toContain('# my proxy');
    expect(out).toContain('port: 8317 # the usual');
    expect(out).toContain('# work account, keep first');
    expect(out).toContain('- name: home # personal');
    const parsed = parseConfigText(out);
    expect(parsed.ok && parsed.config.providers.map((p) => [p.name, p.enabled])).toEqual([
      ['work', true],
      ['home', false],
    ]);
  });

  it('adds the key when the entry had none', () => {
    const parsed = parseConfigText(setProviderEnabledInText(text, 'work', false));
    expect(parsed.ok && parsed.config.providers[0]?.enabled).toBe(false);
  });

  it('refuses unknown providers and broken files with a clear message', () => {
    expect(() => setProviderEnabledInText(text, 'nope', true)).toThrow('no provider named "nope"');
    expect(() => setProviderEnabledInText('providers: [\n', 'work', true)).toThrow('YAML errors');
  });
});

describe('setProviderPriorityInText', () => {
  it('sets the priority the router reads, comments kept', () => {
    const out = setProviderPriorityInText(text, 'home', -5);
    expect(out).toContain('# work account, keep first');
    const parsed = parseConfigText(out);
    expect(parsed.ok && parsed.config.providers.map((p) => [p.name, p.priority])).toEqual([
      ['work', 0],
      ['home', -5],
    ]);
  });
});

describe('setTopLevelInText', () => {
  it('sets or replaces one top-level key and keeps comments and the rest as written', () => {
    const text = '# my proxy\nport: 8317 # fixed\nusage_retention_days: 90\nproviders: []\n';
    expect(setTopLevelInText(text, 'usage_retention_days', 30)).toBe(
      '# my proxy\nport: 8317 # fixed\nusage_retention_days: 30\nproviders: []\n',
    );
    expect(setTopLevelInText('port: 1 # one\n', 'usage_retention_days', 7)).toBe(
      'port: 1 # one\nusage_retention_days: 7\n',
    );
    expect(() => setTopLevelInText('port: [\n', 'usage_retention_days', 7)).toThrow('YAML errors');
    expect(() => setTopLevelInText('- a\n- b\n', 'usage_retention_days', 7)).toThrow('not a YAML mapping');
  });
});
