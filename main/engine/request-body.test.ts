import { createHash, randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { COPY_AS_READ_FROM_BYTES, readDeclaredBody, releaseChunk } from './request-body';

describe('releaseChunk', () => {
  it('frees a chunk that owns its memory: it reads as empty afterwards', () => {
    const chunk = Buffer.allocUnsafeSlow(64 * 1024).fill(7);
    expect(releaseChunk(chunk)).toBe(true);
    expect(chunk.length).toBe(0);
    expect(chunk.buffer.byteLength).toBe(0);
  });

  it('never touches a view that shares its memory', () => {
    const whole = Buffer.allocUnsafeSlow(64 * 1024).fill(1);
    const view = whole.subarray(1024, 32 * 1024);
    expect(releaseChunk(view)).toBe(false);
    expect(view.length).toBe(31 * 1024);
    expect(whole[0]).toBe(1);
  });

  it('never touches a small buffer, which may be a slice of the shared pool', () => {
    const small = Buffer.from('a small body');
    const neighbour = Buffer.from('its neighbour in the pool');
    expect(releaseChunk(small)).toBe(false);
    expect(small.toString()).toBe('a small body');
    expect(neighbour.toString()).toBe('its neighbour in the pool');
  });
});

describe('readDeclaredBody over a real socket', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** Posts `body` and answers with the digest and length of what readDeclaredBody handed over. */
  async function roundTrip(body: Buffer, onChunkAfterReader?: (length: number) => void) {
    server = createServer((req, res) => {
      readDeclaredBody(req, Number(req.headers['content-length']), (received) => {
        res.end(`${received.length} ${createHash('sha256').update(received).digest('hex')}`);
      });
      if (onChunkAfterReader) req.on('data', (chunk: Buffer) => onChunkAfterReader(chunk.length));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new Promise<string>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        headers: { 'content-length': body.length },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (part: Buffer) => {
          text += part;
        });
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      // Several writes, so the body arrives in more than one chunk.
      for (let at = 0; at < body.length; at += 100_000) req.write(body.subarray(at, at + 100_000));
      req.end();
    });
  }

  const digest = (body: Buffer) => `${body.length} ${createHash('sha256').update(body).digest('hex')}`;

  it('hands over a small body exactly', async () => {
    const body = Buffer.from(JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }));
    expect(await roundTrip(body)).toBe(digest(body));
  });

  it('hands over a 1 MB body byte for byte, releasing each chunk as it is copied', async () => {
    const body = randomBytes(1024 * 1024);
    expect(body.length).toBeGreaterThan(COPY_AS_READ_FROM_BYTES);
    const seenAfterCopy: number[] = [];
    expect(await roundTrip(body, (length) => seenAfterCopy.push(length))).toBe(digest(body));
    expect(seenAfterCopy.length).toBeGreaterThan(1);
    // Chunks of 4 KB and more are released at once; the listener after the reader finds them empty.
    expect(seenAfterCopy.some((length) => length === 0)).toBe(true);
  });
});
