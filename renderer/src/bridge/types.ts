import type { EventName } from '../../../shared/bridge';
import type { Api, ErrorEnvelope, Events } from '../../../shared/contract';

/** How the live event stream is doing; the shell shows a banner unless it is `open`. */
export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'open' }
  | { kind: 'retrying'; inMs: number; reason: string }
  | { kind: 'unauthorized' }
  | { kind: 'management_off' };

/** The envelope's codes (one source: shared/contract.ts) plus what only the HTTP transport can meet. */
export type BridgeErrorCode =
  | ErrorEnvelope['error']['code']
  | 'unauthorized'
  | 'management_off'
  | 'throttled'
  | 'unreachable';

/** A contract call that did not succeed: the envelope's message, thrown. */
export class BridgeError extends Error {
  constructor(
    message: string,
    readonly code: BridgeErrorCode,
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}

/** What the renderer talks to: the contract plus pushed events, over IPC or HTTP alike. */
export interface Bridge extends Api {
  readonly transport: 'electron' | 'http';
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  /** Downloads the request log as CSV; absent where the transport cannot stream a file. */
  downloadRequestsCsv?(): Promise<void>;
  close(): void;
}

export const MANAGEMENT_OFF_HINT =
  'The Management API is off. Set management_secret (16 characters or more) in config.yaml, then reload this page.';
