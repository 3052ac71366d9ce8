import { encodeErrorBody } from '../error-shapes';
import { toAnthropicId } from '../ids';
import {
  type IRError,
  type IRStreamEvent,
  kindForStatus,
  type SseMessage,
  type StopReason,
  type StreamDecoder,
  type StreamEncoder,
  type StreamEncoderOptions,
  type Usage,
} from '../ir';
import { answerText, isObj, jsonText, type Obj, sse } from '../json';
import { decodeStopReason, encodeStopReason } from '../stop-reasons';
import { truncatedStream, unreadableEvent } from '../truncated';
import { decodeClaudeUsage, encodeClaudeUsage } from './response';
import { plainTextDelta, textDeltaEvent } from './text-delta';

const ERROR_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

/** A content block's index as the upstream numbers it; -1 (matching no block) when it is not a number. */
const blockIndex = (value: unknown): number => (typeof value === 'number' ? value : -1);

/** Anthropic Messages stream events → IR events. */
export class ClaudeStreamDecoder implements StreamDecoder {
  private usage: Usage | undefined;
  private stop: StopReason | undefined;
  private stopSequence: string | undefined;
  private finished = false;
  private readonly indexes = new Map<number, number>();
  private readonly open = new Set<number>();
  /** Tool calls whose whole arguments came with their start. */
  private readonly argumentsGiven = new Set<number>();

  push(message: SseMessage): IRStreamEvent[] {
    if (!this.finished && (message.event === undefined || message.event === 'content_block_delta')) {
      const delta = plainTextDelta(message.data);
      if (delta) {
        const index = this.indexes.get(delta.index);
        return index === undefined ? [] : [{ type: 'text_delta', index, text: delta.text }];
      }
    }
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      const unreadable = this.finished ? undefined : unreadableEvent(message.data);
      if (!unreadable) return [];
      this.finished = true;
      return [unreadable];
    }
    if (!isObj(data) || this.finished) return [];
    const type = message.event ?? data.type;
    switch (type) {
      case 'message_start': {
        const m = isObj(data.message) ? data.message : {};
        this.usage = decodeClaudeUsage(m.usage);
        return [
          {
            type: 'start',
            id: answerText(m.id),
            model: answerText(m.model),
            created: Math.floor(Date.now() / 1000),
          },
          { type: 'usage', usage: this.usage },
        ];
      }
      case 'content_block_start': {
        const block = isObj(data.content_block) ? data.content_block : {};
        const index = this.indexes.size;
        this.indexes.set(blockIndex(data.index), index);
        this.open.add(index);
        if (block.type === 'tool_use') {
          const events: IRStreamEvent[] = [
            {
              type: 'part_start',
              index,
              part: { type: 'tool_call', id: answerText(block.id), name: answerText(block.name) },
            },
          ];
          // Anthropic starts a call with `input: {}` and streams the arguments; some compatible
          // servers put them all in the start instead, and then send no deltas worth adding.
          const given = jsonText(block.input).trim();
          if (given && given !== '{}') {
            this.argumentsGiven.add(index);
            events.push({ type: 'tool_args_delta', index, json: given });
          }
          return events;
        }
        if (block.type === 'thinking') return [{ type: 'part_start', index, part: { type: 'thinking' } }];
        if (block.type === 'redacted_thinking') {
          return [
            { type: 'part_start', index, part: { type: 'thinking', redacted: answerText(block.data) } },
          ];
        }
        const events: IRStreamEvent[] = [{ type: 'part_start', index, part: { type: 'text' } }];
        if (typeof block.text === 'string' && block.text)
          events.push({ type: 'text_delta', index, text: block.text });
        return events;
      }
      case 'content_block_delta': {
        const index = this.indexes.get(blockIndex(data.index));
        const delta = isObj(data.delta) ? data.delta : {};
        if (index === undefined) return [];
        if (delta.type === 'text_delta') return [{ type: 'text_delta', index, text: answerText(delta.text) }];
        if (delta.type === 'thinking_delta')
          return [{ type: 'thinking_delta', index, text: answerText(delta.thinking) }];
        if (delta.type === 'signature_delta')
          return [{ type: 'signature_delta', index, signature: answerText(delta.signature) }];
        if (delta.type === 'input_json_delta' && !this.argumentsGiven.has(index))
          return [{ type: 'tool_args_delta', index, json: answerText(delta.partial_json) }];
        return [];
      }
      case 'content_block_stop': {
        const index = this.indexes.get(blockIndex(data.index));
        if (index === undefined) return [];
        this.open.delete(index);
        return [{ type: 'part_stop', index }];
      }
      case 'message_delta': {
        const delta = isObj(data.delta) ? data.delta : {};
        if (typeof delta.stop_reason === 'string') this.stop = decodeStopReason('claude', delta.stop_reason);
        if (typeof delta.stop_sequence === 'string') this.stopSequence = delta.stop_sequence;
        if (!isObj(data.usage)) return [];
        this.usage = decodeClaudeUsage(data.usage, this.usage);
        return [{ type: 'usage', usage: this.usage }];
      }
      case 'message_stop': {
        this.finished = true;
        const closing = [...this.open].map((index) => ({ type: 'part_stop', index }) as const);
        this.open.clear();
        return [
          ...closing,
          {
            type: 'finish',
            stopReason: this.stop ?? 'end',
            ...(this.stopSequence ? { stopSequence: this.stopSequence } : {}),
          },
        ];
      }
      case 'error': {
        this.finished = true;
        const err = isObj(data.error) ? data.error : {};
        const status = ERROR_STATUS[answerText(err.type)] ?? 500;
        const error: IRError = {
          status,
          kind: kindForStatus(status),
          message: answerText(err.message, 'upstream stream error'),
        };
        return [{ type: 'error', error }];
      }
      default:
        return [];
    }
  }

  end(): IRStreamEvent[] {
    if (this.finished) return [];
    this.finished = true;
    return [truncatedStream('before message_stop')];
  }
}

type BlockKind = 'text' | 'thinking' | 'tool_call';

/** IR events → Anthropic Messages stream events, block indexes contiguous from 0. */
export class ClaudeStreamEncoder implements StreamEncoder {
  private started = false;
  private done = false;
  private id = `msg_${Date.now().toString(36)}`;
  private usage: Usage = { inputTokens: 0, outputTokens: 0 };
  private sawTool = false;
  private readonly blocks = new Map<number, { index: number; kind: BlockKind; open: boolean }>();

  constructor(private readonly options: StreamEncoderOptions) {}

  private start(): string {
    if (this.started) return '';
    this.started = true;
    const usage = encodeClaudeUsage(this.usage);
    return sse(
      {
        type: 'message_start',
        message: {
          id: this.id,
          type: 'message',
          role: 'assistant',
          model: this.options.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: 0 },
        },
      },
      'message_start',
    );
  }

  private open(irIndex: number, kind: BlockKind, block: Obj): string {
    const index = this.blocks.size;
    this.blocks.set(irIndex, { index, kind, open: true });
    return sse({ type: 'content_block_start', index, content_block: block }, 'content_block_start');
  }

  private ensure(irIndex: number, kind: BlockKind): { text: string; index: number } {
    const existing = this.blocks.get(irIndex);
    if (existing) return { text: '', index: existing.index };
    const text = this.open(
      irIndex,
      kind,
      kind === 'thinking' ? { type: 'thinking', thinking: '' } : { type: 'text', text: '' },
    );
    return { text, index: this.blocks.get(irIndex)?.index ?? 0 };
  }

  private close(irIndex: number): string {
    const block = this.blocks.get(irIndex);
    if (!block?.open) return '';
    block.open = false;
    return sse({ type: 'content_block_stop', index: block.index }, 'content_block_stop');
  }

  push(event: IRStreamEvent): string {
    if (this.done) return '';
    switch (event.type) {
      case 'start':
        if (event.id)
          this.id = event.id.startsWith('msg_') ? event.id : `msg_${event.id.replace(/[^a-zA-Z0-9]/g, '')}`;
        if (event.usage) this.usage = event.usage;
        return this.start();
      case 'part_start': {
        let out = this.start();
        if (event.part.type === 'tool_call') {
          this.sawTool = true;
          out += this.open(event.index, 'tool_call', {
            type: 'tool_use',
            id: toAnthropicId(event.part.id),
            name: event.part.name,
            input: {},
          });
        } else if (event.part.type === 'thinking') {
          out += this.open(
            event.index,
            'thinking',
            event.part.redacted !== undefined
              ? { type: 'redacted_thinking', data: event.part.redacted }
              : { type: 'thinking', thinking: '' },
          );
        } else out += this.open(event.index, 'text', { type: 'text', text: '' });
        return out;
      }
      case 'text_delta': {
        const { text, index } = this.ensure(event.index, 'text');
        return this.start() + text + textDeltaEvent(index, 'text', event.text);
      }
      case 'thinking_delta': {
        const { text, index } = this.ensure(event.index, 'thinking');
        return this.start() + text + textDeltaEvent(index, 'thinking', event.text);
      }
      case 'signature_delta': {
        const block = this.blocks.get(event.index);
        if (!block) return '';
        return sse(
          {
            type: 'content_block_delta',
            index: block.index,
            delta: { type: 'signature_delta', signature: event.signature },
          },
          'content_block_delta',
        );
      }
      case 'tool_args_delta': {
        const block = this.blocks.get(event.index);
        if (!block) return '';
        return sse(
          {
            type: 'content_block_delta',
            index: block.index,
            delta: { type: 'input_json_delta', partial_json: event.json },
          },
          'content_block_delta',
        );
      }
      case 'part_stop':
        return this.close(event.index);
      case 'usage':
        this.usage = { ...this.usage, ...event.usage };
        return '';
      case 'finish': {
        let out = this.start();
        for (const irIndex of this.blocks.keys()) out += this.close(irIndex);
        this.done = true;
        const reason = this.sawTool && event.stopReason === 'end' ? 'tool_call' : event.stopReason;
        out += sse(
          {
            type: 'message_delta',
            delta: {
              stop_reason: encodeStopReason('claude', reason),
              stop_sequence: event.stopSequence ?? null,
            },
            usage: encodeClaudeUsage(this.usage),
          },
          'message_delta',
        );
        return out + sse({ type: 'message_stop' }, 'message_stop');
      }
      case 'error':
        this.done = true;
        return sse(encodeErrorBody('claude', event.error), 'error');
      default:
        return '';
    }
  }

  end(): string {
    return '';
  }
}
