import { readFile } from 'node:fs/promises';
import { isMap, isSeq, parseDocument } from 'yaml';
import { writeFileAtomic } from '../fs/atomic';

/**
 * Edits config.yaml the way a person would: through the YAML document, so comments, ordering and
 * formatting survive, and written atomically so a crash never leaves half a file. The watcher then
 * applies the change like any other edit.
 */
export function setProviderEnabledInText(text: string, provider: string, enabled: boolean): string {
  return setProviderFieldInText(text, provider, 'enabled', enabled);
}

export function setProviderPriorityInText(text: string, provider: string, priority: number): string {
  return setProviderFieldInText(text, provider, 'priority', priority);
}

/** Sets one top-level key (usage_retention_days…), keeping the rest of the file as written. */
export function setTopLevelInText(text: string, key: string, value: unknown): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw new Error(`the config has YAML errors; fix them first (${doc.errors[0]?.message.split('\n')[0]})`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new Error('the config is not a YAML mapping');
  doc.set(key, value);
  return doc.toString();
}

function setProviderFieldInText(text: string, provider: string, field: string, value: unknown): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw new Error(`the config has YAML errors; fix them first (${doc.errors[0]?.message.split('\n')[0]})`);
  const providers = doc.get('providers');
  if (!isSeq(providers)) throw new Error('the config has no providers list');
  const entry = providers.items.find((item) => isMap(item) && item.get('name') === provider);
  if (!isMap(entry)) throw new Error(`no provider named ${JSON.stringify(provider)} in the config`);
  entry.set(field, value);
  return doc.toString();
}

export async function setProviderEnabled(file: string, provider: string, enabled: boolean): Promise<void> {
  const text = await readFile(file, 'utf8');
  await writeFileAtomic(file, setProviderEnabledInText(text, provider, enabled), 0o600);
}
