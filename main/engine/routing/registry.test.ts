import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../config/loader';
import { DEFAULT_MODELS } from '../providers/default-models';
import { ModelRegistry } from './registry';

function config(yaml: string) {
  const result = parseConfigText(yaml);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

describe('ModelRegistry', () => {
  it('serves a subscription type’s default models when its entry lists none', () => {
    const registry = new ModelRegistry(
      config('providers:\n  - {name: max, type: claude, auth_type: oauth}\n'),
    );
    expect(registry.list().map((m) => m.id)).toEqual(DEFAULT_MODELS.claude);
  });

  it('prefers the models a provider reported, and the entry’s own list over both', () => {
    const cfg = config(
      'providers:\n  - {name: cp, type: copilot, auth_type: device_flow}\n  - {name: cp2, type: copilot, auth_type: device_flow, models: [{name: only-this}]}\n',
    );
    const registry = new ModelRegistry(
      cfg,
      new Map([
        ['cp', ['gpt-x']],
        ['cp2', ['ignored']],
      ]),
    );
    expect(
      registry
        .list()
        .map((m) => m.id)
        .sort(),
    ).toEqual(['gpt-x', 'only-this']);
  });

  it('routes prefixed names, listed or not, with the prefix stripped', () => {
    const registry = new ModelRegistry(
      config(
        'providers:\n  - {name: or, type: openai_compatible, endpoint: "https://openrouter.ai/api", api_key: k, prefix: or/, models: [{name: a/b}]}\n',
      ),
    );
    expect(registry.list().map((m) => m.id)).toEqual(['or/a/b']);
    expect(registry.resolve('or/meta/llama-3')[0]?.upstreamModel).toBe('meta/llama-3');
    expect(registry.resolve('meta/llama-3')).toEqual([]);
  });

  it('leaves out disabled providers and models, and warns about unsupported types', () => {
    const registry = new ModelRegistry(
      config(
        'providers:\n  - {name: a, type: openai, api_key: k, enabled: false, models: [{name: x}]}\n  - {name: b, type: openai, api_key: k, models: [{name: y, enabled: false}, {name: z}]}\n',
      ),
    );
    expect(registry.list().map((m) => m.id)).toEqual(['z']);
    expect(registry.warnings).toEqual([]);
  });
});
