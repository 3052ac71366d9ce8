export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Known secret values (API keys, tokens) to scrub, plus header-shaped patterns that carry them. */
export class Redactor {
  private secrets: string[] = [];
  private readonly sources: Array<() => Iterable<string | undefined>> = [];

  setSecrets(values: Iterable<string>): void {
    // Longest first so a key that contains another is replaced whole.
    this.secrets = [...new Set(values)].filter((v) => v.length >= 6).sort((a, b) => b.length - a.length);
  }

  /** Secrets that change while the engine runs (signed-in accounts' tokens), read at each redaction. */
  addSource(source: () => Iterable<string | undefined>): void {
    this.sources.push(source);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
    for (const source of this.sources)
      for (const secret of source())
        if (secret && secret.length >= 6 && out.includes(secret)) out = out.split(secret).join('[redacted]');
    return out
      .replace(/(bearer\s+)[^\s"',]+/gi, '$1[redacted]')
      .replace(
        /("(?:access_token|refresh_token|id_token|token|client_secret|accessToken|refreshToken|clientSecret)"\s*:\s*")[^"]+/g,
        '$1[redacted]',
      )
      .replace(
        /((?:access_token|refresh_token|id_token|client_secret|code_verifier)=)[^&\s"']+/gi,
        '$1[redacted]',
      )
      .replace(
        /((?:x-api-key|x-goog-api-key|api[_-]?key|authorization)["']?\s*[:=]\s*["']?)[^\s"',&]+/gi,
        '$1[redacted]',
      )
      .replace(/([?&]key=)[^&\s"']+/gi, '$1[redacted]');
  }
}

export function createLogger(options: {
  level?: LogLevel;
  redactor: Redactor;
  write?: (line: string) => void;
}): Logger {
  const min = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const emit = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const extra = fields
      ? Object.entries(fields)
          .map(([key, value]) => ` ${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
          .join('')
      : '';
    write(options.redactor.redact(`${new Date().toISOString()} ${level.toUpperCase()} ${message}${extra}`));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}
