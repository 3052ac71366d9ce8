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
 * Collects what is written to a response, up to `max` bytes plus one (so a longer body shows as
 * cut); whatever comes after that is not even copied, so memory stays bounded.
 */
export class BodyCapture {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly max: number) {}

  add(chunk: unknown): void {
    const room = this.max + 1 - this.size;
    if (room <= 0 || chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
    if (bytes.length === 0) return;
    // A copy: the writer may reuse its buffer once write() returns.
    const kept = Buffer.from(bytes.subarray(0, room));
    this.chunks.push(kept);
    this.size += kept.length;
  }

  /** The body so far; undefined when nothing was written. */
  result(): CapturedBody | undefined {
    return this.size === 0 ? undefined : capText(Buffer.concat(this.chunks, this.size), this.max);
  }
}
