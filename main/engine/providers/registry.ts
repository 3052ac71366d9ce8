import type { ProviderType } from '../../config/schema';
import { openaiCompatibleProvider, openaiProvider } from './openai';
import type { ProviderDescriptor } from './types';

const descriptors: ProviderDescriptor[] = [openaiProvider, openaiCompatibleProvider];

const byType = new Map<ProviderType, ProviderDescriptor>(descriptors.map((d) => [d.type, d]));

export function providerDescriptor(type: ProviderType): ProviderDescriptor | undefined {
  return byType.get(type);
}
