import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultKiroTokenPath, parseKiroTokenFile, readKiroTokenFile } from './kiro-token-file';

describe('parseKiroTokenFile', () => {
  it('reads tokens, expiry, client and profile from the file Kiro writes', () => {
    const parsed = parseKiroTokenFile(
      JSON.stringify({
        accessToken: 'aoa-1',
        refreshToken: 'aor-1',
        expiresAt: '2099-01-01T00:00:00.000Z',
        clientId: 'cid',
        clientSecret: 'csecret',
        provider: 'BuilderId',
        profileArn: 'arn:aws:codewhisperer:us-east-1:1:profile/X',
      }),
    );
    expect(parsed).toEqual({
      tokens: {
        access_token: 'aoa-1',
        refresh_token: 'aor-1',
        expires_at: Date.parse('2099-01-01T00:00:00.000Z'),
        client_id: 'cid',
        client_secret: 'csecret',
      },
      identity: 'Kiro (BuilderId)',
      metadata: { profile_arn: 'arn:aws:codewhisperer:us-east-1:1:profile/X' },
    });
  });

  it('leaves out what the file lacks or cannot be read as a date', () => {
    expect(parseKiroTokenFile('{"accessToken":"aoa-2","expiresAt":"soon"}')).toEqual({
      tokens: { access_token: 'aoa-2' },
      identity: 'Kiro',
      metadata: {},
    });
  });

  it('refuses what is not a token file without quoting the text', () => {
    const secret = 'aoa-secret-token-value';
    for (const text of [secret, `{"accessToken":"${secret}"`, '[1]', 'null', '{"refreshToken":"x"}']) {
      let message = '';
      try {
        parseKiroTokenFile(text);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^not a Kiro token file: /);
      expect(message).not.toContain('secret');
    }
  });
});

describe('readKiroTokenFile', () => {
  it('reads the file and explains a missing one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cliproxy-kiro-'));
    try {
      const path = defaultKiroTokenPath(dir);
      expect(path).toBe(join(dir, '.aws', 'sso', 'cache', 'kiro-auth-token.json'));
      await expect(readKiroTokenFile(path)).rejects.toThrow(
        `no Kiro token file at ${path}: sign in to Kiro first`,
      );
      await mkdir(join(dir, '.aws', 'sso', 'cache'), { recursive: true });
      await writeFile(path, '{"accessToken":"aoa"}');
      expect(await readKiroTokenFile(path)).toBe('{"accessToken":"aoa"}');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
