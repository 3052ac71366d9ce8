import type { ProviderType } from '../../config/schema';
import { claudeProvider } from './claude';
import { codexProvider } from './codex';
import { copilotProvider } from './copilot';
import { geminiProvider } from './gemini';
import { geminiCliProvider } from './gemini-cli';
import { kiroProvider } from './kiro';
import { openaiCompatibleProvider, openaiProvider } from './openai';
import type { ProviderDescriptor } from './types';

const descriptors: ProviderDescriptor[] = [
  openaiProvider,
  openaiCompatibleProvider,
  claudeProvider,
  geminiProvider,
  copilotProvider,
  codexProvider,
  geminiCliProvider,
  kiroProvider,
];

const byType = new Map<ProviderType, ProviderDescriptor>(descriptors.map((d) => [d.type, d]));

export function providerDescriptor(type: ProviderType): ProviderDescriptor | undefined {
  return byType.get(type);
}
