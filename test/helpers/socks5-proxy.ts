import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

export interface Socks5Proxy {
  url: string;
  /** The host:port of every CONNECT that went through, in order. */
  seen: string[];
  close(): void;
}

/** Reads exactly `size` bytes from a socket that is paused between reads. */
async function readBytes(socket: Socket, size: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let have = 0;
  while (have < size) {
    const chunk = socket.read(Math.min(size - have, socket.readableLength || size - have)) as Buffer | null;
    if (chunk) {
      chunks.push(chunk);
      have += chunk.length;
    } else {
      await once(socket, 'readable');
    }
  }
  return Buffer.concat(chunks, have);
}

/** The target of a CONNECT request after its first four bytes (RFC 1928, section 5). */
async function readTarget(socket: Socket, addressType: number): Promise<string> {
  let host: string;
  if (addressType === 0x01) host = [...(await readBytes(socket, 4))].join('.');
  else if (addressType === 0x03) {
    const length = (await readBytes(socket, 1))[0] ?? 0;
    host = (await readBytes(socket, length)).toString('latin1');
  } else if (addressType === 0x04) {
    const bytes = await readBytes(socket, 16);
    host = `[${Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2).toString(16)).join(':')}]`;
  } else throw new Error(`unknown address type ${addressType}`);
  const port = (await readBytes(socket, 2)).readUInt16BE(0);
  return `${host}:${port}`;
}

/** A SOCKS5 proxy on loopback (no authentication, CONNECT only), recording where each tunnel went. */
export async function startSocks5Proxy(): Promise<Socks5Proxy> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    void (async () => {
      const [version, methodCount] = await readBytes(client, 2);
      const methods = await readBytes(client, methodCount ?? 0);
      if (version !== 0x05 || !methods.includes(0x00)) {
        client.end(Buffer.from([0x05, 0xff])); // no acceptable method
        return;
      }
      client.write(Buffer.from([0x05, 0x00]));
      const [, command, , addressType] = await readBytes(client, 4);
      const target = await readTarget(client, addressType ?? 0);
      if (command !== 0x01) {
        client.end(Buffer.from([0x05, 0x07, 0x00, 0x01, 0, 0, 0, 0, 0, 0])); // command not supported
        return;
      }
      seen.push(target);
      const at = target.lastIndexOf(':');
      const upstream = connect(Number(target.slice(at + 1)), target.slice(0, at).replace(/^\[|\]$/g, ''));
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => {
        client.end(Buffer.from([0x05, 0x05, 0x00, 0x01, 0, 0, 0, 0, 0, 0])); // connection refused
      });
      upstream.on('connect', () => {
        client.write(Buffer.from([0x05, 0x00, 0x00, 0x01, 127, 0, 0, 1, 0, 0]));
        upstream.pipe(client);
        client.pipe(upstream);
        client.resume();
      });
    })().catch(() => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `socks5://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
