import type { IncomingMessage } from 'node:http';
import { MeteredResponse } from '../metrics/response-meter';

/**
 * The engine server's response class: metered, and able to hold what a stream relays until the end
 * of the event-loop turn (respond.ts's write). A stream writes one piece per event (translated text,
 * or the upstream's own bytes in passthrough); each `write` of a chunked response costs its own
 * chunk frame (size line, data, CRLF: four entries in the socket's write queue), so the pieces that
 * arrived in one upstream read are joined and leave as a single chunk. `end()` sends what is held
 * first, so no path can end a response ahead of it — which is why this is not
 * ServerResponse#cork, which batches the same way but whose end() drops what a corked response
 * holds (Node 22 sent an empty body in a check).
 */
export class RelayResponse<
  Request extends IncomingMessage = IncomingMessage,
> extends MeteredResponse<Request> {
  private held: (string | Uint8Array)[] | undefined;

  /** Keeps `piece` for flushHeld (respond.ts calls that at the end of the turn). */
  hold(piece: string | Uint8Array): void {
    if (this.held) this.held.push(piece);
    else this.held = [piece];
  }

  /** Writes what is held as one chunk. */
  flushHeld(): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    if (this.destroyed) return; // the client went away: nothing to send it
    if (held.length === 1) this.write(held[0]);
    else if (held.every((piece) => typeof piece === 'string')) this.write(held.join(''));
    else
      this.write(
        Buffer.concat(held.map((piece) => (typeof piece === 'string' ? Buffer.from(piece) : piece))),
      );
  }

  // biome-ignore lint/suspicious/noExplicitAny: the overloads of ServerResponse#end, passed through
  override end(...args: any[]): this {
    this.flushHeld();
    return super.end(...args);
  }
}
