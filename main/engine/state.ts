import { type Config, clientKeys } from '../config/schema';
import type { ClientKey } from './client-auth';
import { ModelRegistry } from './routing/registry';

/** Everything a request needs from the config, swapped whole on reload so a request sees one version. */
export interface EngineState {
  config: Config;
  registry: ModelRegistry;
  clientKeys: ClientKey[];
  loadedAt: number;
}

export function buildState(config: Config): EngineState {
  return {
    config,
    registry: new ModelRegistry(config),
    clientKeys: clientKeys(config),
    loadedAt: Date.now(),
  };
}

/** Every secret in the config, for the log redactor. */
export function configSecrets(config: Config): string[] {
  return [
    ...clientKeys(config).map((k) => k.key),
    ...config.providers.flatMap((p) => [p.api_key ?? '', ...Object.values(p.headers ?? {})]),
  ].filter(Boolean);
}
