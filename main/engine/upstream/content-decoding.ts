// The proxy sends no Accept-Encoding, yet HTTP lets a server compress anyway (RFC 9110 §12.5.3),
// and some aggregators do, as does any upstream when a provider's `headers:` ask for it. Every
// reader of an answer (relays, translators, error classification) wants its plain bytes, so an
// encoded answer is decoded once, where it arrives, and loses its content-encoding header.
import type { IncomingHttpHeaders } from 'node:http';
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream';
import * as zlib from 'node:zlib';
import { type AnswerBody, type UpstreamAnswer, wholeOfChunks } from './dispatched-answer';

/** Makes the decoder of one answer. */
type Decoder = () => Transform;

function decoders(): Record<string, Decoder> {
  const table: Record<string, Decoder> = {
    gzip: zlib.createGunzip,
    'x-gzip': zlib.createGunzip,
    deflate: zlib.createInflate,
    br: zlib.createBrotliDecompress,
  };
  // zstd came to node:zlib in Node 22.15; older runtimes say they cannot read it.
  if (typeof zlib.createZstdDecompress === 'function') table.zstd = zlib.createZstdDecompress;
  return table;
}

let table: Record<string, Decoder> | undefined;

/** The answer with its body decoded, when the upstream encoded it; the same answer otherwise. */
export function decodedAnswer(answer: UpstreamAnswer): UpstreamAnswer {
  const header = answer.headers['content-encoding'];
  if (header === undefined) return answer;
  const encoding = (Array.isArray(header) ? header.join(',') : header).trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return answer;
  const { 'content-encoding': _, 'content-length': __, ...headers } = answer.headers;
  table ??= decoders();
  const decoder = table[encoding];
  const body = decoder
    ? new DecodedBody(answer.body, encoding, decoder)
    : new UnreadableBody(answer.body, encoding);
  return { statusCode: answer.statusCode, headers: headers as IncomingHttpHeaders, body };
}

/** A decoder's failure, named for what it means to the reader of the answer. */
export class BrokenEncoding extends Error {
  constructor(encoding: string, cause: Error) {
    super(`the answer's ${encoding} encoding is broken (${cause.message})`);
    this.name = 'BrokenEncoding';
  }
}

class DecodedBody implements AnswerBody {
  private decoder: Transform | undefined;
  /** Why the reader or a deadline destroyed the body: reported as it is, not as a broken encoding. */
  private destroyedWith: Error | undefined;

  constructor(
    private readonly raw: AnswerBody,
    private readonly encoding: string,
    private readonly decode: Decoder,
  ) {}

  whole(maxBytes: number): Promise<Buffer> {
    return wholeOfChunks(this, maxBytes);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    const decoder = this.decode();
    this.decoder = decoder;
    const source = this.raw;
    let sourceFailure: unknown;
    const tracked = async function* () {
      try {
        yield* source;
      } catch (error) {
        sourceFailure = error;
        throw error;
      }
    };
    // The decoder produces only as it is read, so a small answer that inflates hugely is held
    // back like any other: by the reader's pace.
    pipeline(tracked(), decoder, () => {});
    try {
      for await (const chunk of decoder) yield chunk as Buffer;
    } catch (error) {
      // A network failure (a reset, the idle timeout) reaches the reader as it was.
      if (error === sourceFailure || error === this.destroyedWith) throw error;
      throw new BrokenEncoding(this.encoding, error as Error);
    } finally {
      decoder.destroy();
      source.destroy();
    }
  }

  destroy(error?: Error): void {
    this.destroyedWith = error;
    this.raw.destroy(error);
    this.decoder?.destroy(error);
  }

  dump(): Promise<void> {
    return this.raw.dump();
  }
}

/** An encoding node:zlib cannot read (`compress`, or a chain of several): a clear failure on read. */
class UnreadableBody implements AnswerBody {
  private readonly failure: Error;

  constructor(
    private readonly raw: AnswerBody,
    encoding: string,
  ) {
    this.failure = new Error(`the answer is in a content encoding the proxy cannot read (${encoding})`);
  }

  whole(): Promise<Buffer> {
    this.raw.destroy(this.failure);
    return Promise.reject(this.failure);
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    this.raw.destroy(this.failure);
    return { next: () => Promise.reject(this.failure) };
  }

  destroy(error?: Error): void {
    this.raw.destroy(error);
  }

  dump(): Promise<void> {
    return this.raw.dump();
  }
}
