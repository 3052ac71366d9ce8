import { describe, expect, it } from 'vitest';
import { setProviderEnabledInText, setProviderPriorityInText } from './edit';
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
