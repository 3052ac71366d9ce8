import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../main/config/loader';

describe("the README's configuration reference", () => {
  it('is a config the engine accepts, with the keys it documents', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../README.md'), 'utf8');
    const block = /## Configuration[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const result = parseConfigText(block ?? '');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.config.timeouts).toEqual({
      connect: 10_000,
      first_byte: 300_000,
      idle: 120_000,
      total: 1_800_000,
    });
    expect(result.config.providers[0]).toMatchObject({ priority: 0, rate_limit: 5, prefix: 'oa' });
  });
});
