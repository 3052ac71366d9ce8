import type { Config, ProviderConfig } from '../../config/schema';
import { providerDescriptor } from '../providers/registry';
import type { ProviderDescriptor } from '../providers/types';

export interface ModelRoute {
  provider: ProviderConfig;
  descriptor: ProviderDescriptor;
  /** The model id the upstream knows. */
  upstreamModel: string;
}

export interface ListedModel {
  id: string;
  ownedBy: string;
}

/** Client-visible model names (alias, else name) of enabled models of enabled, supported providers. */
export class ModelRegistry {
  readonly warnings: string[] = [];
  private readonly routes = new Map<string, ModelRoute[]>();

  constructor(config: Config) {
    for (const provider of config.providers) {
      if (!provider.enabled) continue;
      const descriptor = providerDescriptor(provider.type);
      if (!descriptor) {
        this.warnings.push(
          `provider ${provider.name}: type ${provider.type} is not supported by this build yet`,
        );
        continue;
      }
      for (const model of provider.models) {
        if (!model.enabled) continue;
        const name = model.alias ?? model.name;
        const list = this.routes.get(name) ?? [];
        list.push({ provider, descriptor, upstreamModel: model.name });
        this.routes.set(name, list);
      }
    }
    for (const list of this.routes.values()) list.sort((a, b) => b.provider.priority - a.provider.priority);
  }

  /** Routes for a client-visible model name, highest priority first; empty when nothing serves it. */
  resolve(model: string): readonly ModelRoute[] {
    return this.routes.get(model) ?? [];
  }

  list(): ListedModel[] {
    return [...this.routes.entries()].map(([id, routes]) => ({
      id,
      ownedBy: routes[0]?.provider.name ?? '',
    }));
  }
}
