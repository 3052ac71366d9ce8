import { encodeErrorBody } from '../error-shapes';
import { toOpenAIId } from '../ids';
import type {
  IRStreamEvent,
  SseMessage,
  StopReason,
  StreamDecoder,
  StreamEncoder,
  StreamEncoderOptions,
  Usage,
} from '../ir';
import { answerText, isObj, jsonText, type Obj } from '../json';
import { decodeStopReason, encodeStopReason } from '../stop-reasons';
import { truncatedStream, unreadableEvent } from '../truncated';
import { decodeChatUsage, encodeChatUsage } from './response';

const truncated = (): IRStreamEvent => truncatedStream('before its finish_reason');

/** Chat Completions chunks → IR events. Tool calls are tracked by their `index` among tool calls. */
/** The reasoning text of a delta or message: `reasoning_content`, or `reasoning` (OpenRouter, vLLM). */
export function reasoningText(part: Obj): string {
  if (typeof part.reasoning_content === 'string' && part.reasoning_content) return part.reasoning_content;
  return typeof part.reasoning === 'string' ? part.reasoning : '';
}

export class ChatStreamDecoder implements StreamDecoder {
  private started = false;
  private finished = false;
  private done = false;
  private nextIndex = 0;
  private textIndex: number | undefined;
  private thinkingIndex: number | undefined;
  /** Each tool call seen, in order (see callKey): its IR index and id. */
  private readonly calls: Array<{ index: number; id: string | undefined }> = [];
  /** The call (position in `calls`) an upstream `index` currently stands for. */
  private readonly callOfIndex = new Map<number, number>();
  private lastCall: number | undefined;
  private readonly open = new Set<number>();
  private finish: StopReason | undefined;

  push(message: SseMessage): IRStreamEvent[] {
    // After [DONE] or an error nothing more belongs to this answer.
    if (this.done) return [];
    if (message.data === '[DONE]') {
      this.done = true;
      return this.closeAll();
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(message.data);
    } catch {
      const unreadable = unreadableEvent(message.data);
      if (!unreadable) return [];
      this.done = true;
      return [unreadable];
    }
    if (!isObj(chunk)) return [];
    const events: IRStreamEvent[] = [];
    if (isObj(chunk.error)) {
      this.done = true;
      return [
        {
          type: 'error',
          error: {
            status: 502,
            kind: 'server',
            message: answerText(chunk.error.message, 'upstream stream error'),
          },
        },
      ];
    }
    if (!this.started) {
      this.started = true;
      events.push({
        type: 'start',
        id: answerText(chunk.id),
        model: answerText(chunk.model),
        created: typeof chunk.created === 'number' ? chunk.created : Math.floor(Date.now() / 1000),
      });
    }
    const choice = Array.isArray(chunk.choices) && isObj(chunk.choices[0]) ? chunk.choices[0] : undefined;
    const delta = choice && isObj(choice.delta) ? choice.delta : {};
    const reasoning = reasoningText(delta);
    if (reasoning) {
      if (this.thinkingIndex === undefined) {
        this.thinkingIndex = this.nextIndex++;
        this.open.add(this.thinkingIndex);
        events.push({ type: 'part_start', index: this.thinkingIndex, part: { type: 'thinking' } });
      }
      events.push({ type: 'thinking_delta', index: this.thinkingIndex, text: reasoning });
    }
    if (typeof delta.content === 'string' && delta.content) {
      if (this.textIndex === undefined) {
        this.textIndex = this.nextIndex++;
        this.open.add(this.textIndex);
        events.push({ type: 'part_start', index: this.textIndex, part: { type: 'text' } });
      }
      events.push({ type: 'text_delta', index: this.textIndex, text: delta.content });
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const raw of delta.tool_calls) {
        if (!isObj(raw)) continue;
        const fn = isObj(raw.function) ? raw.function : {};
        const key = this.callKey(raw, fn);
        let call = this.calls[key];
        if (call === undefined) {
          call = { index: this.nextIndex++, id: typeof raw.id === 'string' ? raw.id : undefined };
          this.calls.push(call);
          this.open.add(call.index);
          events.push({
            type: 'part_start',
            index: call.index,
            part: { type: 'tool_call', id: call.id ?? `call_${key}`, name: answerText(fn.name) },
          });
        }
        const json = jsonText(fn.arguments);
        if (json) events.push({ type: 'tool_args_delta', index: call.index, json });
      }
    }
    if (isObj(chunk.usage)) events.push({ type: 'usage', usage: decodeChatUsage(chunk.usage) });
    if (choice && typeof choice.finish_reason === 'string') {
      this.finish = decodeStopReason('openai-chat', choice.finish_reason);
    }
    return events;
  }

  /**
   * Which call a tool-call delta continues. By its `index`, as OpenAI sends it; some compatible
   * servers leave the index out (a delta with no id and no name then continues the last call) or
   * give every call index 0 (a new id then starts a new call).
   */
  private callKey(raw: Obj, fn: Obj): number {
    const fresh = this.calls.length;
    let key: number;
    if (typeof raw.index === 'number') {
      const current = this.callOfIndex.get(raw.index);
      const seenId = current === undefined ? undefined : this.calls[current]?.id;
      const anotherId =
        typeof raw.id === 'string' && raw.id !== '' && seenId !== undefined && raw.id !== seenId;
      key = current !== undefined && !anotherId ? current : fresh;
      this.callOfIndex.set(raw.index, key);
    } else if (this.lastCall !== undefined && raw.id === undefined && fn.name === undefined) {
      key = this.lastCall;
    } else {
      key = fresh;
    }
    this.lastCall = key;
    return key;
  }

  private closeAll(): IRStreamEvent[] {
    if (this.finished) return [];
    const events: IRStreamEvent[] = [...this.open]
      .sort((a, b) => a - b)
      .map((index) => ({ type: 'part_stop', index }) as const);
    this.open.clear();
    if (this.finish === undefined) return [...events, truncated()];
    this.finished = true;
    events.push({
      type: 'finish',
      stopReason: this.calls.length > 0 && this.finish === 'end' ? 'tool_call' : this.finish,
    });
    return events;
  }

  end(): IRStreamEvent[] {
    if (this.done) return [];
    this.done = true;
    // Some upstreams omit [DONE]; a finish_reason seen means the answer is complete.
    return this.closeAll();
  }
}

/** IR events → Chat Completions chunks, a usage-only chunk (`choices: []`) when asked, then [DONE]. */
export class ChatStreamEncoder implements StreamEncoder {
  private id = `chatcmpl-${Date.now().toString(36)}`;
  private created = Math.floor(Date.now() / 1000);
  private roleSent = false;
  private failed = false;
  private usage: Usage | undefined;
  private readonly toolCalls = new Map<number, number>();
  private sawTool = false;

  constructor(private readonly options: StreamEncoderOptions) {}

  private prefix: string | undefined;

  /**
   * The same text as JSON.stringify of the whole chunk object, but the part before the delta, the
   * same for every chunk of the stream, is serialized once: a stream is mostly small text deltas.
   */
  private chunk(delta: Obj, finish: string | null = null): string {
    return `${this.chunkPrefix()}${JSON.stringify(delta)},"finish_reason":${JSON.stringify(finish)}}]}\n\n`;
  }

  private chunkPrefix(): string {
    this.prefix ??= `data: {"id":${JSON.stringify(this.id)},"object":"chat.completion.chunk","created":${JSON.stringify(this.created)},"model":${JSON.stringify(this.options.model)},"choices":[{"index":0,"delta":`;
    return this.prefix;
  }

  /** chunk({ [key]: text }) without building and walking the object: text deltas are most of a stream. */
  private textChunk(key: 'content' | 'reasoning_content', text: string): string {
    return `${this.chunkPrefix()}{"${key}":${JSON.stringify(text)}},"finish_reason":null}]}\n\n`;
  }

  private role(): string {
    if (this.roleSent) return '';
    this.roleSent = true;
    return this.chunk({ role: 'assistant', content: '' });
  }

  push(event: IRStreamEvent): string {
    if (this.failed) return '';
    switch (event.type) {
      case 'start':
        if (event.id) this.id = event.id.startsWith('chatcmpl') ? event.id : `chatcmpl-${event.id}`;
        this.created = event.created;
        this.prefix = undefined;
        return this.role();
      case 'part_start':
        if (event.part.type !== 'tool_call') return this.role();
        this.sawTool = true;
        this.toolCalls.set(event.index, this.toolCalls.size);
        return (
          this.role() +
          this.chunk({
            tool_calls: [
              {
                index: this.toolCalls.get(event.index),
                id: toOpenAIId(event.part.id),
                type: 'function',
                function: { name: event.part.name, arguments: '' },
              },
            ],
          })
        );
      case 'text_delta':
        return this.role() + this.textChunk('content', event.text);
      case 'thinking_delta':
        return this.role() + this.textChunk('reasoning_content', event.text);
      case 'tool_args_delta': {
        const index = this.toolCalls.get(event.index);
        if (index === undefined) return '';
        return this.chunk({ tool_calls: [{ index, function: { arguments: event.json } }] });
      }
      case 'usage':
        this.usage = { ...this.usage, ...event.usage };
        return '';
      case 'finish':
        return (
          this.role() +
          this.chunk(
            {},
            encodeStopReason(
              'openai-chat',
              this.sawTool && event.stopReason === 'end' ? 'tool_call' : event.stopReason,
            ),
          )
        );
      case 'error':
        this.failed = true;
        return `data: ${JSON.stringify(encodeErrorBody('openai-chat', event.error))}\n\n`;
      default:
        return '';
    }
  }

  end(): string {
    if (this.failed) return '';
    const usage =
      this.options.includeUsage && this.usage
        ? `data: ${JSON.stringify({ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.options.model, choices: [], usage: encodeChatUsage(this.usage) })}\n\n`
        : '';
    return `${usage}data: [DONE]\n\n`;
  }
}
