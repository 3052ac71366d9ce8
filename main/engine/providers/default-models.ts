import type { ProviderType } from '../../config/schema';

/**
 * Models each subscription type serves when its provider entry lists none (data, checked
 * 2026-11; a provider entry's own `models` always wins). Copilot's list is refreshed from its
 * models endpoint after sign-in.
 */
export const DEFAULT_MODELS_DATE = '2026-11-01';

export const DEFAULT_MODELS: Partial<Record<ProviderType, string[]>> = {
  claude: ['claude-opus-4-1', 'claude-sonnet-4-5', 'claude-haiku-4-5'],
  codex: ['gpt-5', 'gpt-5-codex', 'gpt-5-codex-mini'],
  gemini_cli: ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite'],
  copilot: ['gpt-4.1', 'gpt-4o', 'gpt-5-mini', 'claude-sonnet-4', 'gemini-2.5-pro'],
  kiro: ['claude-sonnet-4.5', 'claude-sonnet-4', 'claude-haiku-4.5'],
};
