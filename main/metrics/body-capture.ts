/** A body kept for the log: its first bytes as text, and whether more was cut off. */
export interface CapturedBody {
  text: string;
  truncated: boolean;
}

/** The text of `bytes`, cut to at most `max` bytes without splitting a UTF-8 character. */
export function capText(bytes: Uint8Array, max: number): CapturedBody {
  if (bytes.length <= max) return { text: Buffer.from(bytes).toString('utf8'), truncated: false };
  let end = max;
  // Step back over continuation bytes (10xxxxxx) so the cut falls before a character's first byte.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return { text: Buffer.from(bytes.subarray(0, end)).toString('utf8'), truncated: true };
}

/**
 * Collects what is written to a response, up to `max` bytes (plus one, to know that more came);
 * memory stays bounded whatever the response's size.
 */
export class BodyCapture {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private cut = false;

  constructor(private readonly max: number) {}

  add(chunk: unknown): void {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    if (bytes.length === 0) return;
    const room = this.max + 1 - this.size;
    if (room <= 0) {
      this.cut = true;
      return;
    }
    const kept = bytes.length > room ? bytes.subarray(0, room) : bytes;
    this.chunks.push(kept);
    this.size += kept.length;
  }

  /** The body so far; undefined when nothing was written. */
  result(): CapturedBody | undefined {
    if (this.size === 0) return undefined;
    const captured = capText(Buffer.concat(this.chunks, this.size), this.max);
    return captured.truncated || !this.cut ? captured : { ...captured, truncated: true };
  }
}
