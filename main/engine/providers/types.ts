import type { ProviderConfig, ProviderType } from '../../config/schema';
import type { FormatId } from '../formats/ir';

export interface UpstreamTarget {
  url: URL;
  headers: Record<string, string>;
}

/** What the router and the UI need to know about a provider type, and how to address it. */
export interface ProviderDescriptor {
  type: ProviderType;
  label: string;
  /** The wire format the upstream speaks. */
  format: FormatId;
  defaultEndpoint?: string;
  target(provider: ProviderConfig, call: { model: string; stream: boolean }): UpstreamTarget;
}

/**
 * Joins the configured base URL and the provider's standard path. A base that already ends with
 * the path's first segment (`https://host/v1` + `/v1/chat/completions`) is not doubled: people
 * copy base URLs with and without `/v1` and both should work.
 */
export function joinEndpoint(base: string, path: string): URL {
  const url = new URL(base);
  const basePath = url.pathname.replace(/\/+$/, '');
  const firstSegment = path.split('/')[1] ?? '';
  const rest =
    firstSegment && basePath.endsWith(`/${firstSegment}`) ? path.slice(firstSegment.length + 1) : path;
  url.pathname = `${basePath}${rest}`;
  return url;
}
