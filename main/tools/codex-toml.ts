/**
 * Codex CLI's ~/.codex/config.toml, edited line by line (no TOML library): only the top-level
 * `model_provider` key and the `[model_providers.cliproxy]` table are touched, the rest stays as is.
 */
const HEADER = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/;
const OUR_TABLE = 'model_providers.cliproxy';

const tomlString = (value: string) => JSON.stringify(value);

export function setCodexProvider(toml: string, baseUrl: string, key: string): string {
  const lines = toml.length > 0 ? toml.replace(/\n$/, '').split('\n') : [];
  const kept: string[] = [];
  let table: string | null = null;
  for (const line of lines) {
    const header = HEADER.exec(line);
    if (header) table = header[1] ?? null;
    if (table === OUR_TABLE) continue;
    if (table === null && /^\s*model_provider\s*=/.test(line)) continue;
    kept.push(line);
  }
  while (kept.length > 0 && kept.at(-1)?.trim() === '') kept.pop();
  // Top-level keys must come before the first table: add ours after the last of them.
  const firstHeader = kept.findIndex((line) => HEADER.test(line));
  let insertAt = firstHeader === -1 ? kept.length : firstHeader;
  while (insertAt > 0 && kept[insertAt - 1]?.trim() === '') insertAt--;
  const needsGap = firstHeader !== -1 && insertAt === firstHeader;
  kept.splice(insertAt, 0, 'model_provider = "cliproxy"', ...(needsGap ? [''] : []));
  return `${[
    ...kept,
    '',
    `[${OUR_TABLE}]`,
    'name = "CLIProxy++"',
    `base_url = ${tomlString(baseUrl)}`,
    'wire_api = "responses"',
    `http_headers = { Authorization = ${tomlString(`Bearer ${key}`)} }`,
  ].join('\n')}\n`;
}

/** Whether Codex uses the cliproxy provider and that provider points at `baseUrl`. */
export function codexPointsAt(toml: string, baseUrl: string): boolean {
  let table: string | null = null;
  let selected = false;
  let url: string | undefined;
  for (const line of toml.split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      table = header[1] ?? null;
      continue;
    }
    if (table === null && /^\s*model_provider\s*=\s*["']cliproxy["']/.test(line)) selected = true;
    const match = /^\s*base_url\s*=\s*"([^"]*)"/.exec(line);
    if (table === OUR_TABLE && match) url = match[1];
  }
  return selected && url === baseUrl;
}
