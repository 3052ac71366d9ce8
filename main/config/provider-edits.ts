import { readFile } from 'node:fs/promises';
import { type Document, isMap, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import type { NewProvider, NewSubscription } from '../../shared/contract';
import { writeFileAtomic } from '../fs/atomic';
import { formatIssue, parseConfigText } from './loader';

function openDocument(text: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw new Error(`the config has YAML errors; fix them first (${doc.errors[0]?.message.split('\n')[0]})`);
  return doc;
}

function providerEntry(doc: Document, provider: string): { seq: YAMLSeq; index: number; entry: YAMLMap } {
  const seq = doc.get('providers');
  if (!isSeq(seq)) throw new Error(`no provider named ${JSON.stringify(provider)} in the config`);
  const index = seq.items.findIndex((item) => isMap(item) && item.get('name') === provider);
  const entry = seq.items[index];
  if (!isMap(entry)) throw new Error(`no provider named ${JSON.stringify(provider)} in the config`);
  return { seq, index, entry };
}

/** Appends a provider entry; a flow-style `providers: []` becomes a block list so the entry reads well. */
/** Appends a provider entry (refusing a duplicate name), marked as added from the dashboard. */
function appendProvider(text: string, value: Record<string, unknown>): string {
  const doc = openDocument(text);
  const existing = doc.get('providers');
  if (isSeq(existing) && existing.items.some((item) => isMap(item) && item.get('name') === value.name))
    throw new Error(`a provider named ${JSON.stringify(value.name)} already exists`);
  const entry = doc.createNode(value) as YAMLMap;
  entry.commentBefore = ' added from the dashboard';
  const models = entry.get('models');
  if (isSeq(models)) for (const model of models.items) if (isMap(model)) model.flow = true;
  if (isSeq(existing) && existing.items.length > 0) {
    existing.flow = false;
    existing.items.push(entry);
  } else {
    const seq = doc.createNode([]) as YAMLSeq;
    seq.items.push(entry);
    doc.set('providers', seq);
  }
  return doc.toString();
}

export function addProviderInText(text: string, provider: NewProvider): string {
  const value: Record<string, unknown> = {
    name: provider.name,
    type: provider.type,
    enabled: true,
    auth_type: 'api_key',
    api_key: provider.api_key,
  };
  if (provider.endpoint) value.endpoint = provider.endpoint;
  if (provider.prefix) value.prefix = provider.prefix;
  value.models = provider.models.map((m) => (m.alias ? { name: m.name, alias: m.alias } : { name: m.name }));
  return appendProvider(text, value);
}

/**
 * A subscription entry: its type's official OAuth client and model list are the defaults, so the
 * entry needs nothing more; GitHub Copilot and Kiro sign in with a device code.
 */
export function addSubscriptionInText(text: string, subscription: NewSubscription): string {
  const deviceFlow = subscription.type === 'copilot' || subscription.type === 'kiro';
  return appendProvider(text, {
    name: subscription.name,
    type: subscription.type,
    enabled: true,
    auth_type: deviceFlow ? 'device_flow' : 'oauth',
  });
}

export function removeProviderInText(text: string, provider: string): string {
  const doc = openDocument(text);
  const { seq, index } = providerEntry(doc, provider);
  seq.items.splice(index, 1);
  return doc.toString();
}

/** One model of a provider: enabled on or off, alias set (a string) or removed (null). */
export function setModelInText(
  text: string,
  provider: string,
  model: string,
  change: { enabled?: boolean; alias?: string | null },
): string {
  const doc = openDocument(text);
  const { entry } = providerEntry(doc, provider);
  const models = entry.get('models');
  const target = isSeq(models)
    ? models.items.find((item) => isMap(item) && (item.get('name') === model || item.get('alias') === model))
    : undefined;
  if (!isMap(target))
    throw new Error(`provider ${provider} has no model ${JSON.stringify(model)} in the config`);
  if (change.enabled !== undefined) target.set('enabled', change.enabled);
  if (change.alias === null) target.delete('alias');
  else if (change.alias !== undefined) target.set('alias', change.alias);
  return doc.toString();
}

/**
 * Reads config.yaml, applies an edit, and writes it atomically only when the result is a valid
 * config: an edit from the dashboard never leaves a file the engine would refuse.
 */
export async function editConfigFile(file: string, edit: (text: string) => string): Promise<void> {
  const next = edit(await readFile(file, 'utf8'));
  const checked = parseConfigText(next);
  if (!checked.ok) {
    const issue = checked.issues[0];
    throw new Error(issue ? formatIssue('config.yaml', issue) : 'the edited config is not valid');
  }
  await writeFileAtomic(file, next, 0o600);
}
