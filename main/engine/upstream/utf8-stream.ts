import { StringDecoder } from 'node:string_decoder';

const BOM = '\uFEFF';

/**
 * Decodes a UTF-8 byte stream piece by piece: a character split across two reads comes out whole,
 * and a byte-order mark at the very start is dropped, as TextDecoder does. Node's StringDecoder
 * underneath: TextDecoder's `stream` mode cost about 0.9 µs per network read against 0.25 µs,
 * paid once per read of every relayed stream.
 */
export class Utf8StreamDecoder {
  private readonly decoder = new StringDecoder('utf8');
  private started = false;

  write(chunk: Uint8Array): string {
    const text = this.decoder.write(chunk as Buffer);
    return this.started ? text : this.first(text);
  }

  end(): string {
    const text = this.decoder.end();
    return this.started ? text : this.first(text);
  }

  private first(text: string): string {
    if (text === '') return text;
    this.started = true;
    return text.startsWith(BOM) ? text.slice(1) : text;
  }
}
