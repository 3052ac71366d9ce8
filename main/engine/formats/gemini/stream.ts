import { encodeErrorBody } from '../error-shapes';
import {
  type IRStreamEvent,
  kindForStatus,
  type SseMessage,
  type StopReason,
  type StreamDecoder,
  type StreamEncoder,
  type StreamEncoderOptions,
  type Usage,
} from '../ir';
import { answerText, isObj, type Obj } from '../json';
import { encodeStopReason } from '../stop-reasons';
import { truncatedStream, unreadableEvent } from '../truncated';
import {
  decodeCandidateParts,
  decodeGeminiUsage,
  encodeGeminiUsage,
  geminiStop,
  promptBlocked,
} from './response';

/** Gemini stream chunks (each a whole GenerateContentResponse with new parts) → IR events. */
export class GeminiStreamDecoder implements StreamDecoder {
  private started = false;
  private finished = false;
  private nextIndex = 0;
  private current: { index: number; kind: 'text' | 'thinking' } | undefined;
  private calls = 0;
  private stop: StopReason | undefined;

  push(message: SseMessage): IRStreamEvent[] {
    let chunk: unknown;
    try {
      chunk = JSON.parse(message.data);
    } catch {
      const unreadable = this.finished ? undefined : unreadableEvent(message.data);
      if (!unreadable) return [];
      this.finished = true;
      return [unreadable];
    }
    if (!isObj(chunk) || this.finished) return [];
    if (isObj(chunk.error)) {
      this.finished = true;
      const status = typeof chunk.error.code === 'number' ? chunk.error.code : 500;
      return [
        {
          type: 'error',
          error: {
            status,
            kind: kindForStatus(status),
            message: answerText(chunk.error.message, 'upstream stream error'),
          },
        },
      ];
    }
    const events: IRStreamEvent[] = [];
    if (!this.started) {
      this.started = true;
      events.push({
        type: 'start',
        id: answerText(chunk.responseId),
        model: answerText(chunk.modelVersion),
        created: Math.floor(Date.now() / 1000),
      });
    }
    const candidate =
      Array.isArray(chunk.candidates) && isObj(chunk.candidates[0]) ? chunk.candidates[0] : undefined;
    const parts = candidate && isObj(candidate.content) ? candidate.content.parts : undefined;
    for (const part of decodeCandidateParts(parts, () => `call_${Date.now().toString(36)}_${this.calls}`)) {
      if (part.type === 'tool_call') {
        events.push(...this.closeCurrent());
        const index = this.nextIndex++;
        this.calls++;
        events.push({ type: 'part_start', index, part: { type: 'tool_call', id: part.id, name: part.name } });
        events.push({ type: 'tool_args_delta', index, json: part.arguments });
        if (part.signature) events.push({ type: 'signature_delta', index, signature: part.signature });
        events.push({ type: 'part_stop', index });
        continue;
      }
      const kind = part.type === 'thinking' ? 'thinking' : 'text';
      if (this.current?.kind !== kind) {
        events.push(...this.closeCurrent());
        this.current = { index: this.nextIndex++, kind };
        events.push({ type: 'part_start', index: this.current.index, part: { type: kind } });
      }
      const index = this.current.index;
      if (part.type === 'thinking') {
        events.push({ type: 'thinking_delta', index, text: part.text });
        if (part.signature) events.push({ type: 'signature_delta', index, signature: part.signature });
      } else if (part.type === 'text') events.push({ type: 'text_delta', index, text: part.text });
    }
    if (isObj(chunk.usageMetadata))
      events.push({ type: 'usage', usage: decodeGeminiUsage(chunk.usageMetadata) });
    const blocked = candidate === undefined && promptBlocked(chunk);
    if (blocked || (candidate && typeof candidate.finishReason === 'string')) {
      this.stop = blocked ? 'content_filter' : geminiStop(candidate?.finishReason, this.calls > 0);
      this.finished = true;
      events.push(...this.closeCurrent(), { type: 'finish', stopReason: this.stop });
    }
    return events;
  }

  private closeCurrent(): IRStreamEvent[] {
    if (!this.current) return [];
    const index = this.current.index;
    this.current = undefined;
    return [{ type: 'part_stop', index }];
  }

  end(): IRStreamEvent[] {
    if (this.finished) return [];
    this.finished = true;
    return [...this.closeCurrent(), truncatedStream('without a finish reason')];
  }
}

/** IR events → Gemini chunks: SSE (`alt=sse`, CRLF framing) or a streamed JSON array. */
export class GeminiStreamEncoder implements StreamEncoder {
  private sent = 0;
  private done = false;
  private usage: Usage | undefined;
  private readonly calls = new Map<number, { id: string; name: string; args: string; signature?: string }>();
  private readonly signatures = new Map<number, string>();
  private readonly sse: boolean;

  constructor(private readonly options: StreamEncoderOptions) {
    this.sse = options.sse !== false;
  }

  private emit(chunk: Obj): string {
    const json = JSON.stringify(chunk);
    const first = this.sent === 0;
    this.sent++;
    if (this.sse) return `data: ${json}\r\n\r\n`;
    return first ? `[${json}` : `,\r\n${json}`;
  }

  private parts(parts: Obj[], extra: Obj = {}): string {
    return this.emit({
      candidates: [{ content: { role: 'model', parts }, index: 0, ...extra }],
      modelVersion: this.options.model,
    });
  }

  push(event: IRStreamEvent): string {
    if (this.done) return '';
    switch (event.type) {
      case 'text_delta':
        return event.text ? this.parts([{ text: event.text }]) : '';
      case 'thinking_delta':
        return event.text ? this.parts([{ text: event.text, thought: true }]) : '';
      case 'part_start':
        if (event.part.type === 'tool_call')
          this.calls.set(event.index, { id: event.part.id, name: event.part.name, args: '' });
        return '';
      case 'tool_args_delta': {
        const call = this.calls.get(event.index);
        if (call) call.args += event.json;
        return '';
      }
      case 'signature_delta': {
        const call = this.calls.get(event.index);
        if (call) call.signature = (call.signature ?? '') + event.signature;
        else this.signatures.set(event.index, (this.signatures.get(event.index) ?? '') + event.signature);
        return '';
      }
      case 'part_stop': {
        const call = this.calls.get(event.index);
        if (call) {
          this.calls.delete(event.index);
          let args: unknown = {};
          try {
            args = JSON.parse(call.args || '{}');
          } catch {
            args = {};
          }
          return this.parts([
            {
              functionCall: { id: call.id, name: call.name, args: isObj(args) ? args : {} },
              ...(call.signature ? { thoughtSignature: call.signature } : {}),
            },
          ]);
        }
        const signature = this.signatures.get(event.index);
        if (signature) {
          this.signatures.delete(event.index);
          return this.parts([{ text: '', thought: true, thoughtSignature: signature }]);
        }
        return '';
      }
      case 'usage':
        this.usage = { ...this.usage, ...event.usage };
        return '';
      case 'finish': {
        let out = '';
        for (const index of [...this.calls.keys()]) out += this.push({ type: 'part_stop', index });
        this.done = true;
        return (
          out +
          this.emit({
            candidates: [
              {
                content: { role: 'model', parts: [{ text: '' }] },
                finishReason: encodeStopReason('gemini', event.stopReason),
                index: 0,
              },
            ],
            ...(this.usage ? { usageMetadata: encodeGeminiUsage(this.usage) } : {}),
            modelVersion: this.options.model,
          })
        );
      }
      case 'error':
        this.done = true;
        return this.emit(encodeErrorBody('gemini', event.error));
      default:
        return '';
    }
  }

  end(): string {
    if (this.sse) return '';
    return this.sent === 0 ? '[]' : ']';
  }
}
