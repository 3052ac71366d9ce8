import type { Config, ProviderConfig } from '../../config/schema';
import { DEFAULT_MODELS } from '../providers/default-models';
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
  private readonly prefixed: Array<{
    prefix: string;
    provider: ProviderConfig;
    descriptor: ProviderDescriptor;
  }> = [];

  /**
   * @param discovered model ids a provider reported itself (Copilot's models endpoint), used when
   *   its entry lists no models; else the type's defaults apply.
   */
  constructor(config: Config, discovered: ReadonlyMap<string, readonly string[]> = new Map()) {
    for (const provider of config.providers) {
      if (!provider.enabled) continue;
      const descriptor = providerDescriptor(provider.type);
      if (!descriptor) {
        this.warnings.push(
          `provider ${provider.name}: type ${provider.type} is not supported by this build yet`,
        );
        continue;
      }
      if (provider.prefix) this.prefixed.push({ prefix: provider.prefix, provider, descriptor });
      const models =
        provider.models.length > 0
          ? provider.models
          : (discovered.get(provider.name) ?? DEFAULT_MODELS[provider.type] ?? []).map((name) => ({
              name,
              enabled: true,
            }));
      for (const model of models) {
        if (!model.enabled) continue;
        const name = `${provider.prefix ?? ''}${'alias' in model && model.alias ? model.alias : model.name}`;
        const list = this.routes.get(name) ?? [];
        list.push({ provider, descriptor, upstreamModel: model.name });
        this.routes.set(name, list);
      }
    }
    for (const list of this.routes.values()) list.sort((a, b) => b.provider.priority - a.provider.priority);
  }

  /** Routes for a client-visible model name, highest priority first; empty when nothing serves it. */
  resolve(model: string): readonly ModelRoute[] {
    const listed = this.routes.get(model);
    if (listed) return listed;
    // A prefixed provider (an aggregator) also serves unlisted models under its prefix.
    return this.prefixed
      .filter((p) => model.startsWith(p.prefix) && model.length > p.prefix.length)
      .map((p) => ({
        provider: p.provider,
        descriptor: p.descriptor,
        upstreamModel: model.slice(p.prefix.length),
      }))
      .sort((a, b) => b.provider.priority - a.provider.priority);
  }

  /** Listed models, optionally only those some provider can serve now (e.g. has a signed-in account). */
  list(servable: (provider: ProviderConfig) => boolean = () => true): ListedModel[] {
    const out: ListedModel[] = [];
    for (const [id, routes] of this.routes) {
      const route = routes.find((r) => servable(r.provider));
      if (route) out.push({ id, ownedBy: route.provider.name });
    }
    return out;
  }
}
