import { describe, expect, it } from 'vitest';
import { parseConfigText } from './loader';
import {
  addProviderInText,
  addSubscriptionInText,
  removeProviderInText,
  setModelInText,
} from './provider-edits';

const text = `# my proxy
port: 8317 # the usual

providers:
  # work account, keep first
  - name: work
    type: openai
    api_key: sk-work
    models: [{name: gpt-4o}, {name: gpt-4o-mini, alias: mini}]
`;

const parsed = (out: string) => {
  const result = parseConfigText(out);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
};

describe('provider edits from the dashboard', () => {
  it('adds subscriptions that load with their sign-in flow and keep the comments', () => {
    let out = addSubscriptionInText(text, { name: 'claude-max', type: 'claude' });
    out = addSubscriptionInText(out, { name: 'copilot', type: 'copilot' });
    expect(out).toContain('# work account, keep first');
    expect(parsed(out).providers.map((p) => [p.name, p.type, p.auth_type])).toEqual([
      ['work', 'openai', 'api_key'],
      ['claude-max', 'claude', 'oauth'],
      ['copilot', 'copilot', 'device_flow'],
    ]);
    expect(() => addSubscriptionInText(out, { name: 'work', type: 'codex' })).toThrow(
      'a provider named "work" already exists',
    );
  });

  it('adds an aggregator after the others and keeps every comment', () => {
    const out = addProviderInText(text, {
      name: 'openrouter',
      type: 'openai_compatible',
      api_key: 'sk-or',
      endpoint: 'https://openrouter.ai/api/v1',
      prefix: 'or/',
      models: [{ name: 'meta/llama-3', alias: 'llama' }],
    });
    expect(out).toContain('# my proxy');
    expect(out).toContain('# work account, keep first');
    expect(out).toContain('# added from the dashboard');
    expect(out).toContain('{ name: meta/llama-3, alias: llama }');
    expect(parsed(out).providers.map((p) => [p.name, p.type, p.endpoint])).toEqual([
      ['work', 'openai', undefined],
      ['openrouter', 'openai_compatible', 'https://openrouter.ai/api/v1'],
    ]);
  });

  it('turns an empty flow list (the first-run template) into a block list', () => {
    const out = addProviderInText('# keep\nproviders: []\n', {
      name: 'a',
      type: 'openai',
      api_key: 'k',
      models: [],
    });
    expect(out).toMatch(/^providers:\n {2}# added from the dashboard\n {2}- name: a/m);
    expect(parsed(out).providers[0]?.name).toBe('a');
    expect(
      parsed(addProviderInText('port: 1\n', { name: 'b', type: 'gemini', api_key: 'k', models: [] }))
        .providers,
    ).toHaveLength(1);
  });

  it('refuses a duplicate name', () => {
    expect(() => addProviderInText(text, { name: 'work', type: 'openai', api_key: 'k', models: [] })).toThrow(
      'already exists',
    );
  });

  it('removes one provider and leaves the rest', () => {
    const two = addProviderInText(text, { name: 'b', type: 'openai', api_key: 'k', models: [] });
    const out = removeProviderInText(two, 'work');
    expect(parsed(out).providers.map((p) => p.name)).toEqual(['b']);
    expect(out).toContain('# my proxy');
    expect(() => removeProviderInText(text, 'nope')).toThrow('no provider named "nope"');
  });

  it('disables a model and sets or removes its alias, found by name or alias', () => {
    let out = setModelInText(text, 'work', 'mini', { enabled: false });
    out = setModelInText(out, 'work', 'gpt-4o', { alias: 'big' });
    out = setModelInText(out, 'work', 'gpt-4o-mini', { alias: null });
    expect(parsed(out).providers[0]?.models).toEqual([
      { name: 'gpt-4o', alias: 'big', enabled: true },
      { name: 'gpt-4o-mini', enabled: false },
    ]);
    expect(() => setModelInText(text, 'work', 'nope', { enabled: true })).toThrow('no model "nope"');
  });
});
