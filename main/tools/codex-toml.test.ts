import { describe, expect, it } from 'vitest';
import { codexPointsAt, setCodexProvider } from './codex-toml';

const URL = 'http://127.0.0.1:8317/v1';

describe("Codex's config.toml", () => {
  it('selects the cliproxy provider and keeps the rest of the file', () => {
    const before = `# mine\nmodel = "o3"\nmodel_provider = "openai"\n\n[model_providers.other]\nname = "x"\n\n[profiles.fast]\nmodel = "o4-mini"\n`;
    const out = setCodexProvider(before, URL, 'sk-1');
    expect(out).toContain('# mine\nmodel = "o3"\nmodel_provider = "cliproxy"\n');
    expect(out).not.toContain('model_provider = "openai"');
    expect(out).toContain('[model_providers.other]\nname = "x"');
    expect(out).toContain('[profiles.fast]\nmodel = "o4-mini"');
    expect(out).toContain(`[model_providers.cliproxy]\nname = "CLIProxy++"\nbase_url = "${URL}"`);
    expect(out).toContain('http_headers = { Authorization = "Bearer sk-1" }');
    expect(codexPointsAt(out, URL)).toBe(true);
    expect(codexPointsAt(before, URL)).toBe(false);
  });

  it('replaces its own table instead of adding a second one', () => {
    const once = setCodexProvider('', URL, 'a');
    const twice = setCodexProvider(once, 'http://127.0.0.1:9999/v1', 'b');
    expect(twice.match(/\[model_providers\.cliproxy\]/g)).toHaveLength(1);
    expect(twice.match(/^model_provider = /gm)).toHaveLength(1);
    expect(codexPointsAt(twice, 'http://127.0.0.1:9999/v1')).toBe(true);
    expect(once.startsWith('model_provider = "cliproxy"\n\n[model_providers.cliproxy]')).toBe(true);
  });
});
