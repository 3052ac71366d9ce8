import type { IncomingMessage } from 'node:http';
import { MeteredResponse } from '../metrics/response-meter';

/**
 * The engine server's response class: metered, and able to hold relayed text until the end of the
 * event-loop turn (respond.ts's write). A translated stream writes one piece per event; each
 * `write` of a chunked response costs its own chunk frame (size line, data, CRLF: four entries in
 * the socket's write queue), so the pieces of one upstream read are joined and leave as a single
 * chunk. `end()` sends what is held first, so no path can end a response ahead of it — which is
 * why this is not ServerResponse#cork, which batches the same way but whose end() drops what a
 * corked response holds (Node 22 sent an empty body in a check).
 */
export class RelayResponse<
  Request extends IncomingMessage = IncomingMessage,
> extends MeteredResponse<Request> {
  private held: string[] | undefined;

  /** Keeps `text` for flushHeld (respond.ts calls that at the end of the turn). */
  hold(text: string): void {
    if (this.held) this.held.push(text);
    else this.held = [text];
  }

  /** Writes what is held as one chunk. */
  flushHeld(): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    if (this.destroyed) return; // the client went away: nothing to send it
    this.write(held.length === 1 ? held[0] : held.join(''));
  }

  // biome-ignore lint/suspicious/noExplicitAny: the overloads of ServerResponse#end, passed through
  override end(...args: any[]): this {
    this.flushHeld();
    return super.end(...args);
  }
}
