import { z } from 'zod';
import { parseDuration } from './duration';

export const PROVIDER_TYPES = [
  'openai',
  'openai_compatible',
  'claude',
  'gemini',
  'gemini_cli',
  'codex',
  'copilot',
  'kiro',
] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export const AUTH_TYPES = ['api_key', 'oauth', 'device_flow'] as const;
export const ROUTING_STRATEGIES = ['round_robin', 'fill_first'] as const;

const duration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === null) {
    ctx.addIssue({
      code: 'custom',
      message: `invalid duration ${JSON.stringify(value)}: use e.g. 30s, 5m or 1h`,
    });
    return z.NEVER;
  }
  return ms;
});

const nonEmpty = z.string().trim().min(1, 'must not be empty');

const proxyUrl = z.url({
  protocol: /^(https?|socks5h?)$/,
  error: 'must be an http://, https://, socks5:// or socks5h:// URL',
});

const modelSchema = z.strictObject({
  name: nonEmpty,
  alias: nonEmpty.optional(),
  enabled: z.boolean().default(true),
});

const clientKeySchema = z.union([
  nonEmpty,
  z.strictObject({
    key: nonEmpty,
    name: nonEmpty.optional(),
    /** Requests per minute this key may make. */
    rpm: z.number().int().positive().optional(),
    /** Tokens (input + output) per minute this key may use. */
    tpm: z.number().int().positive().optional(),
    /** Models this key may use; `*` globs allowed. Absent = all. */
    models: z.array(nonEmpty).optional(),
  }),
]);

/** Overrides of a subscription provider's OAuth client (defaults: the official CLI's public client). */
const oauthSchema = z.strictObject({
  authorize_url: z.url().optional(),
  token_url: z.url().optional(),
  device_code_url: z.url().optional(),
  client_id: nonEmpty.optional(),
  client_secret: nonEmpty.optional(),
  scopes: z.array(nonEmpty).optional(),
  redirect_port: z.number().int().min(0).max(65_535).optional(),
  redirect_uri: nonEmpty.optional(),
  token_exchange_url: z.url().optional(),
  register_url: z.url().optional(),
  /** Where the signed-in user's name is read when the token carries none (GitHub's /user). */
  user_url: z.url().optional(),
  /** The subscription's usage endpoint (quota windows and their resets). */
  quota_url: z.url().optional(),
  /** Where a Gemini CLI account's Google Cloud projects are listed (Cloud Resource Manager). */
  projects_url: z.url().optional(),
});

const timeoutsSchema = z.strictObject({
  connect: duration.default(10_000),
  first_byte: duration.default(300_000),
  idle: duration.default(120_000),
  total: duration.default(30 * 60_000),
});

const providerSchema = z
  .strictObject({
    name: nonEmpty,
    type: z.enum(PROVIDER_TYPES),
    enabled: z.boolean().default(true),
    auth_type: z.enum(AUTH_TYPES).default('api_key'),
    api_key: nonEmpty.optional(),
    endpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    priority: z.number().int().default(0),
    cooldown: duration.default(30_000),
    rate_limit: z.number().positive().optional(),
    rate_limit_burst: z.number().int().positive().optional(),
    /** Client-visible prefix: `or/` serves `or/<model>` from this provider, the prefix stripped. */
    prefix: nonEmpty.optional(),
    proxy_url: proxyUrl.optional(),
    health_url: z.url({ protocol: /^https?$/ }).optional(),
    oauth: oauthSchema.optional(),
    /** Gemini CLI: the Google Cloud project to bill (else the one Code Assist onboarding assigns). */
    project_id: nonEmpty.optional(),
    headers: z.record(z.string(), z.string()).optional(),
    models: z.array(modelSchema).default([]),
  })
  .superRefine((provider, ctx) => {
    if (provider.type === 'openai_compatible' && !provider.endpoint) {
      ctx.addIssue({
        code: 'custom',
        path: ['endpoint'],
        message: 'endpoint is required for openai_compatible providers',
      });
    }
    if (provider.auth_type === 'api_key' && !provider.api_key) {
      ctx.addIssue({
        code: 'custom',
        path: ['api_key'],
        message: 'api_key is required when auth_type is api_key',
      });
    }
    const seen = new Set<string>();
    provider.models.forEach((model, index) => {
      const visible = model.alias ?? model.name;
      if (seen.has(visible)) {
        ctx.addIssue({
          code: 'custom',
          path: ['models', index, model.alias ? 'alias' : 'name'],
          message: `model name ${JSON.stringify(visible)} is listed twice in this provider`,
        });
      }
      seen.add(visible);
    });
  });

export const configSchema = z
  .strictObject({
    host: nonEmpty.default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(8317),
    api_keys: z.array(clientKeySchema).default([]),
    auth_dir: nonEmpty.default('~/.cliproxy/auths'),
    request_retry: z.number().int().min(0).max(10).default(1),
    routing_strategy: z.enum(ROUTING_STRATEGIES).default('round_robin'),
    max_body_mb: z.number().positive().max(1024).default(20),
    proxy_url: proxyUrl.optional(),
    timeouts: timeoutsSchema.default({
      connect: 10_000,
      first_byte: 300_000,
      idle: 120_000,
      total: 30 * 60_000,
    }),
    /** Extra Host names accepted on a loopback bind (the DNS-rebinding guard refuses others). */
    allowed_hosts: z.array(nonEmpty).default([]),
    /** Browser origins allowed to call the proxy (CORS); none by default. */
    allowed_origins: z.array(nonEmpty).default([]),
    /** Where the request log lives (SQLite); `off` records nothing to disk. */
    usage_db: nonEmpty.default('~/.cliproxy/usage.db'),
    /** Days of request records kept; older ones are pruned in the background. */
    usage_retention_days: z.number().int().min(1).max(3650).default(90),
    /** Opt-in: keep each request's and response's body in the log, redacted and capped. */
    log_bodies: z.boolean().default(false),
    /** How much of each body `log_bodies` keeps, in bytes (the rest is cut and marked). */
    log_body_max_bytes: z.number().int().min(1024).max(1_048_576).default(65_536),
    /** Price overrides in USD per million tokens, by model id. */
    prices: z
      .record(
        z.string(),
        z.strictObject({
          input: z.number().min(0),
          output: z.number().min(0),
          cached_input: z.number().min(0).optional(),
        }),
      )
      .default({}),
    /** Enables /v0/management/* with this bearer secret; off when absent. */
    management_secret: z.string().min(16, 'must be at least 16 characters').optional(),
    providers: z.array(providerSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const names = new Map<string, number>();
    config.providers.forEach((provider, index) => {
      if (names.has(provider.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['providers', index, 'name'],
          message: `provider name ${JSON.stringify(provider.name)} is already used by providers[${names.get(provider.name)}]`,
        });
      } else names.set(provider.name, index);
    });
    if (!isLoopbackHost(config.host) && config.api_keys.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['host'],
        message: `host ${config.host} is reachable from other machines: set api_keys so only your clients can use the proxy`,
      });
    }
  });

export type Config = z.output<typeof configSchema>;
export type ProviderConfig = Config['providers'][number];
export type ModelConfig = ProviderConfig['models'][number];

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

export interface ClientKeyConfig {
  key: string;
  name: string;
  rpm?: number;
  tpm?: number;
  models?: string[];
}

/** Client keys normalized to objects; a key without a name is named by its position. */
export function clientKeys(config: Config): ClientKeyConfig[] {
  return config.api_keys.map((entry, index) =>
    typeof entry === 'string'
      ? { key: entry, name: `key-${index + 1}` }
      : { ...entry, name: entry.name ?? `key-${index + 1}` },
  );
}
