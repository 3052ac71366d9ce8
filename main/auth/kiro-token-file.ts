import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AccountTokens } from './account';

/** Where Kiro keeps its sign-in (the same path on every OS, under the user's home). */
export function defaultKiroTokenPath(home = homedir()): string {
  return join(home, '.aws', 'sso', 'cache', 'kiro-auth-token.json');
}

/** Reads Kiro's token file, saying plainly when there is none (Kiro never signed in here). */
export async function readKiroTokenFile(path = defaultKiroTokenPath()): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new Error(`no Kiro token file at ${path}: sign in to Kiro first, or use Sign in here`);
    throw new Error(`cannot read the Kiro token file at ${path} (${code ?? (error as Error).message})`);
  }
}

/** What a token file Kiro wrote (~/.aws/sso/cache/kiro-auth-token.json) holds for an account. */
export interface KiroTokenFile {
  tokens: AccountTokens;
  identity: string;
  metadata: Record<string, string>;
}

/**
 * Reads Kiro's own token file. Errors never quote the text: it holds tokens, and JSON.parse's own
 * message would show the start of it.
 */
export function parseKiroTokenFile(text: string): KiroTokenFile {
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    throw new Error('not a Kiro token file: it is not JSON');
  }
  if (typeof file !== 'object' || file === null || Array.isArray(file))
    throw new Error('not a Kiro token file: it is not a JSON object');
  const fields = file as Record<string, unknown>;
  if (typeof fields.accessToken !== 'string' || fields.accessToken === '')
    throw new Error('not a Kiro token file: accessToken is missing');
  const expiresAt = typeof fields.expiresAt === 'string' ? Date.parse(fields.expiresAt) : Number.NaN;
  const stringField = (key: string) =>
    typeof fields[key] === 'string' ? (fields[key] as string) : undefined;
  const refreshToken = stringField('refreshToken');
  const clientId = stringField('clientId');
  const clientSecret = stringField('clientSecret');
  const signedInWith = stringField('provider');
  const profileArn = stringField('profileArn');
  return {
    tokens: {
      access_token: fields.accessToken,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      ...(Number.isNaN(expiresAt) ? {} : { expires_at: expiresAt }),
      ...(clientId ? { client_id: clientId } : {}),
      ...(clientSecret ? { client_secret: clientSecret } : {}),
    },
    identity: signedInWith ? `Kiro (${signedInWith})` : 'Kiro',
    metadata: profileArn ? { profile_arn: profileArn } : {},
  };
}
