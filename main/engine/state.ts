import { type ClientKeyConfig, type Config, clientKeys } from '../config/schema';
import { ModelRegistry } from './routing/registry';
import type { Timeouts } from './upstream/http';

/** Everything a request needs from the config, swapped whole on reload so a request sees one version. */
export interface EngineState {
  config: Config;
  registry: ModelRegistry;
  clientKeys: ClientKeyConfig[];
  timeouts: Timeouts;
  loadedAt: number;
}

export function buildState(config: Config, discovered?: ReadonlyMap<string, readonly string[]>): EngineState {
  return {
    config,
    registry: new ModelRegistry(config, discovered),
    clientKeys: clientKeys(config),
    timeouts: {
      connectMs: config.timeouts.connect,
      firstByteMs: config.timeouts.first_byte,
      idleMs: config.timeouts.idle,
      totalMs: config.timeouts.total,
    },
    loadedAt: Date.now(),
  };
}

/** Every secret in the config, for the log redactor. */
export function configSecrets(config: Config): string[] {
  return [
    ...clientKeys(config).map((k) => k.key),
    config.management_secret ?? '',
    ...config.providers.flatMap((p) => [p.api_key ?? '', ...Object.values(p.headers ?? {})]),
  ].filter(Boolean);
}
