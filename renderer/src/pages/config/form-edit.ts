import { isMap, isScalar, isSeq, parseDocument } from 'yaml';

/** The few settings the form edits; everything else is the YAML editor's job. */
export interface ConfigForm {
  host: string;
  port: string;
  routing_strategy: 'round_robin' | 'fill_first';
  /** Plain string keys, one per entry; entries with a name or limits are left as they are. */
  api_keys: string[];
  /** Entries of api_keys the form cannot show (objects with name, rpm…); kept untouched. */
  structuredKeys: number;
}

export function readForm(text: string): ConfigForm | { error: string } {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return { error: 'Fix the YAML errors in the editor before using the form.' };
  const keys = doc.get('api_keys');
  const plain: string[] = [];
  let structured = 0;
  if (isSeq(keys))
    for (const item of keys.items) {
      if (isScalar(item) && typeof item.value === 'string') plain.push(item.value);
      else if (isMap(item)) structured++;
    }
  const strategy = String(doc.get('routing_strategy') ?? 'round_robin');
  return {
    host: String(doc.get('host') ?? '127.0.0.1'),
    port: String(doc.get('port') ?? '8317'),
    routing_strategy: strategy === 'fill_first' ? 'fill_first' : 'round_robin',
    api_keys: plain,
    structuredKeys: structured,
  };
}

/** Writes the form's values into the YAML text, keeping comments and the other keys. */
export function applyForm(text: string, form: Omit<ConfigForm, 'structuredKeys'>): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error('the YAML has errors');
  const setIfChanged = (key: string, value: unknown, fallback: unknown) => {
    const current = doc.get(key);
    if (current === value || (current === undefined && value === fallback)) return;
    doc.set(key, value);
  };
  setIfChanged('host', form.host.trim(), '127.0.0.1');
  const port = Number(form.port);
  setIfChanged('port', Number.isInteger(port) ? port : form.port, 8317);
  setIfChanged('routing_strategy', form.routing_strategy, 'round_robin');
  const wanted = form.api_keys.map((k) => k.trim()).filter(Boolean);
  const existing = doc.get('api_keys');
  if (isSeq(existing)) {
    // Keep structured entries (names, limits) and replace only the plain strings.
    const kept = existing.items.filter((item) => isMap(item));
    const plain = wanted.map((k) => doc.createNode(k));
    existing.items = [...plain, ...kept] as typeof existing.items;
  } else if (wanted.length > 0) {
    doc.set('api_keys', doc.createNode(wanted, { flow: true }));
  }
  return doc.toString();
}
