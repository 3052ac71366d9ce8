import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../config/loader';
import { CooldownBook } from './cooldowns';
import { ModelRegistry } from './registry';
import { Selector } from './selector';

function registry(yaml: string): ModelRegistry {
  const result = parseConfigText(yaml);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return new ModelRegistry(result.config);
}

const threeProviders = `providers:
  - {name: a, type: openai, api_key: k, priority: 0, models: [{name: up-a, alias: m}]}
  - {name: b, type: openai, api_key: k, priority: 0, models: [{name: up-b, alias: m}]}
  - {name: c, type: openai, api_key: k, priority: 5, models: [{name: up-c, alias: m}]}
`;

describe('Selector', () => {
  it('tries higher priority first, then rotates within a priority (round_robin)', () => {
    const routes = registry(threeProviders).resolve('m');
    const selector = new Selector();
    const book = new CooldownBook();
    const orders = Array.from({ length: 3 }, () =>
      selector.select('m', routes, 'round_robin', book).candidates.map((c) => c.account),
    );
    expect(orders).toEqual([
      ['c', 'a', 'b'],
      ['c', 'b', 'a'],
      ['c', 'a', 'b'],
    ]);
  });

  it('keeps the config order with fill_first', () => {
    const routes = registry(threeProviders).resolve('m');
    const selector = new Selector();
    const book = new CooldownBook();
    for (let i = 0; i < 3; i++) {
      expect(selector.select('m', routes, 'fill_first', book).candidates.map((c) => c.account)).toEqual([
        'c',
        'a',
        'b',
      ]);
    }
  });

  it('skips accounts cooling down for that model and reports them', () => {
    const routes = registry(threeProviders).resolve('m');
    const book = new CooldownBook();
    book.recordFailure('c', 'up-c', { kind: 'rate_limit', baseCooldownMs: 30_000 });
    book.recordFailure('a', 'other-model', { kind: 'rate_limit', baseCooldownMs: 30_000 });
    const selection = new Selector().select('m', routes, 'fill_first', book);
    expect(selection.candidates.map((c) => c.account)).toEqual(['a', 'b']);
    expect(selection.cooling.map((c) => c.account)).toEqual(['c']);
  });

  it('keeps separate cursors per model', () => {
    const reg = registry(`providers:
  - {name: a, type: openai, api_key: k, models: [{name: x}, {name: y}]}
  - {name: b, type: openai, api_key: k, models: [{name: x}, {name: y}]}
`);
    const selector = new Selector();
    const book = new CooldownBook();
    const first = (model: string) =>
      selector.select(model, reg.resolve(model), 'round_robin', book).candidates[0]?.account;
    expect([first('x'), first('y'), first('x'), first('y')]).toEqual(['a', 'a', 'b', 'b']);
  });

  it('keeps a bounded number of cursors when clients invent model names under a shared prefix', () => {
    const reg = registry(`providers:
  - {name: a, type: openai_compatible, api_key: k, endpoint: "http://127.0.0.1:1", prefix: or/, models: []}
  - {name: b, type: openai_compatible, api_key: k, endpoint: "http://127.0.0.1:1", prefix: or/, models: []}
`);
    const selector = new Selector();
    const book = new CooldownBook();
    for (let i = 0; i < 25_000; i++)
      selector.select(`or/made-up-${i}`, reg.resolve(`or/made-up-${i}`), 'round_robin', book);
    const cursors = (selector as unknown as { cursors: Map<string, number> }).cursors;
    expect(cursors.size).toBeGreaterThan(0);
    expect(cursors.size).toBeLessThanOrEqual(10_000);
    // and rotation still works for a name in use
    const first = () =>
      selector.select('or/m', reg.resolve('or/m'), 'round_robin', book).candidates[0]?.account;
    expect([first(), first(), first()]).toEqual(['a', 'b', 'a']);
  });
});
