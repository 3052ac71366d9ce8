import { partEvents } from '../aggregate';
import type {
  IRStreamEvent,
  SseMessage,
  StopReason,
  StreamDecoder,
  StreamEncoder,
  StreamEncoderOptions,
  Usage,
} from '../ir';
import { kindForStatus } from '../ir';
import { answerText, isObj, type Obj } from '../json';
import { truncatedStream, unreadableEvent } from '../truncated';
import {
  callItem,
  decodeOutput,
  decodeResponsesUsage,
  itemId,
  messageItem,
  reasoningItem,
  responseObject,
  stopFromStatus,
} from './response';

/** Responses API stream events → IR events, by output_index. */
export class ResponsesStreamDecoder implements StreamDecoder {
  private finished = false;
  private calls = 0;
  private readonly parts = new Map<
    number,
    { index: number; kind: 'text' | 'thinking' | 'tool_call'; args: boolean; filled: boolean }
  >();
  private nextIndex = 0;

  /**
   * The part at `at`, opened now (its part_start added to `events`) when the stream did not announce
   * it with response.output_item.added, as some Responses-compatible servers do not.
   */
  private partAt(at: number, kind: 'text' | 'thinking', events: IRStreamEvent[]) {
    let part = this.parts.get(at);
    if (!part) {
      part = { index: this.nextIndex++, kind, args: false, filled: false };
      this.parts.set(at, part);
      events.push({ type: 'part_start', index: part.index, part: { type: kind } });
    }
    part.filled = true;
    return part;
  }

  push(message: SseMessage): IRStreamEvent[] {
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
    const type = answerText(data.type, answerText(message.event));
    const at = typeof data.output_index === 'number' ? data.output_index : -1;
    switch (type) {
      case 'response.created': {
        const r = isObj(data.response) ? data.response : {};
        return [
          {
            type: 'start',
            id: answerText(r.id),
            model: answerText(r.model),
            created: typeof r.created_at === 'number' ? r.created_at : Math.floor(Date.now() / 1000),
          },
        ];
      }
      case 'response.output_item.added': {
        const item = isObj(data.item) ? data.item : {};
        const index = this.nextIndex++;
        if (item.type === 'function_call') {
          this.calls++;
          this.parts.set(at, { index, kind: 'tool_call', args: false, filled: false });
          return [
            {
              type: 'part_start',
              index,
              part: {
                type: 'tool_call',
                id: answerText(item.call_id, answerText(item.id)),
                name: answerText(item.name),
              },
            },
          ];
        }
        const kind = item.type === 'reasoning' ? 'thinking' : 'text';
        this.parts.set(at, { index, kind, args: false, filled: false });
        return [{ type: 'part_start', index, part: { type: kind } }];
      }
      case 'response.output_text.delta':
      case 'response.refusal.delta': {
        const events: IRStreamEvent[] = [];
        const part = this.partAt(at, 'text', events);
        events.push({ type: 'text_delta', index: part.index, text: answerText(data.delta) });
        return events;
      }
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta': {
        const events: IRStreamEvent[] = [];
        const part = this.partAt(at, 'thinking', events);
        events.push({ type: 'thinking_delta', index: part.index, text: answerText(data.delta) });
        return events;
      }
      case 'response.function_call_arguments.delta': {
        const part = this.parts.get(at);
        if (!part) return [];
        part.args = true;
        return [{ type: 'tool_args_delta', index: part.index, json: answerText(data.delta) }];
      }
      case 'response.output_item.done': {
        const part = this.parts.get(at);
        if (!part) return [];
        const item = isObj(data.item) ? data.item : {};
        const events: IRStreamEvent[] = [];
        if (part.kind === 'tool_call' && !part.args && typeof item.arguments === 'string') {
          events.push({ type: 'tool_args_delta', index: part.index, json: item.arguments });
        }
        // An item announced, then given whole in its done event without deltas: its text is there.
        if (part.kind !== 'tool_call' && !part.filled) {
          for (const decoded of decodeOutput([item])) {
            if (decoded.type === 'text' && decoded.text)
              events.push({ type: 'text_delta', index: part.index, text: decoded.text });
            if (decoded.type === 'thinking' && decoded.text)
              events.push({ type: 'thinking_delta', index: part.index, text: decoded.text });
          }
        }
        if (part.kind === 'thinking' && typeof item.encrypted_content === 'string') {
          events.push({ type: 'signature_delta', index: part.index, signature: item.encrypted_content });
        }
        events.push({ type: 'part_stop', index: part.index });
        return events;
      }
      case 'response.completed':
      case 'response.incomplete': {
        this.finished = true;
        const r = isObj(data.response) ? data.response : {};
        // A stream that carried no output events at all (some compatible servers send only the
        // final response): the answer is in the response's own output.
        const whole = this.nextIndex === 0 ? decodeOutput(r.output) : [];
        const stop: StopReason = stopFromStatus(
          r.status,
          r.incomplete_details,
          this.calls > 0 || whole.some((part) => part.type === 'tool_call'),
        );
        return [
          ...whole.flatMap((part, index) => partEvents(part, index)),
          ...(isObj(r.usage) ? [{ type: 'usage' as const, usage: decodeResponsesUsage(r.usage) }] : []),
          { type: 'finish', stopReason: stop },
        ];
      }
      case 'response.failed':
      case 'error': {
        this.finished = true;
        const r = isObj(data.response) ? data.response : {};
        const err = isObj(r.error) ? r.error : data;
        const status = typeof err.status === 'number' ? err.status : 502;
        return [
          {
            type: 'error',
            error: {
              status,
              kind: kindForStatus(status),
              message: answerText(err.message, 'the upstream response failed'),
            },
          },
        ];
      }
      default:
        return [];
    }
  }

  end(): IRStreamEvent[] {
    if (this.finished) return [];
    this.finished = true;
    return [truncatedStream('without response.completed')];
  }
}

interface OpenItem {
  outputIndex: number;
  id: string;
  kind: 'text' | 'thinking' | 'tool_call';
  text: string;
  callId?: string;
  name?: string;
  signature?: string;
  done: boolean;
}

/** IR events → Responses API events, each with its sequence_number; the completed event carries the whole output. */
export class ResponsesStreamEncoder implements StreamEncoder {
  private seq = 0;
  private id = itemId('resp');
  private created = Math.floor(Date.now() / 1000);
  private started = false;
  private finished = false;
  private usage: Usage | undefined;
  private readonly items = new Map<number, OpenItem>();
  private readonly order: OpenItem[] = [];

  constructor(private readonly options: StreamEncoderOptions) {}

  private event(type: string, fields: Obj): string {
    return `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: this.seq++, ...fields })}\n\n`;
  }

  private response(
    status: 'in_progress' | 'completed' | 'incomplete' | 'failed',
    stop?: StopReason,
    error?: { code: string; message: string },
  ): Obj {
    return responseObject({
      id: this.id,
      created: this.created,
      model: this.options.model,
      status,
      output: status === 'in_progress' ? [] : this.order.map((item) => this.itemBody(item, 'completed')),
      ...(stop ? { stopReason: stop } : {}),
      ...(this.usage && status !== 'in_progress' ? { usage: this.usage } : {}),
      ...(error ? { error } : {}),
    });
  }

  private itemBody(item: OpenItem, status: 'in_progress' | 'completed'): Obj {
    if (item.kind === 'tool_call')
      return callItem(
        item.id,
        item.callId ?? '',
        item.name ?? '',
        status === 'completed' ? item.text : '',
        status,
      );
    if (item.kind === 'thinking')
      return reasoningItem(item.id, status === 'completed' ? item.text : '', item.signature);
    return messageItem(item.id, status === 'completed' ? item.text : '', status);
  }

  private start(): string {
    if (this.started) return '';
    this.started = true;
    return (
      this.event('response.created', { response: this.response('in_progress') }) +
      this.event('response.in_progress', { response: this.response('in_progress') })
    );
  }

  private open(index: number, kind: OpenItem['kind'], callId?: string, name?: string): string {
    const item: OpenItem = {
      outputIndex: this.order.length,
      id: itemId(kind === 'tool_call' ? 'fc' : kind === 'thinking' ? 'rs' : 'msg'),
      kind,
      text: '',
      done: false,
      ...(callId !== undefined ? { callId } : {}),
      ...(name !== undefined ? { name } : {}),
    };
    this.items.set(index, item);
    this.order.push(item);
    let out = this.event('response.output_item.added', {
      output_index: item.outputIndex,
      item: this.itemBody(item, 'in_progress'),
    });
    if (kind === 'text') {
      out += this.event('response.content_part.added', {
        item_id: item.id,
        output_index: item.outputIndex,
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [] },
      });
    } else if (kind === 'thinking') {
      out += this.event('response.reasoning_summary_part.added', {
        item_id: item.id,
        output_index: item.outputIndex,
        summary_index: 0,
        part: { type: 'summary_text', text: '' },
      });
    }
    return out;
  }

  private close(index: number): string {
    const item = this.items.get(index);
    if (!item || item.done) return '';
    item.done = true;
    const ref = { item_id: item.id, output_index: item.outputIndex };
    let out = '';
    if (item.kind === 'text') {
      out += this.event('response.output_text.done', { ...ref, content_index: 0, text: item.text });
      out += this.event('response.content_part.done', {
        ...ref,
        content_index: 0,
        part: { type: 'output_text', text: item.text, annotations: [] },
      });
    } else if (item.kind === 'thinking') {
      out += this.event('response.reasoning_summary_text.done', {
        ...ref,
        summary_index: 0,
        text: item.text,
      });
      out += this.event('response.reasoning_summary_part.done', {
        ...ref,
        summary_index: 0,
        part: { type: 'summary_text', text: item.text },
      });
    } else {
      out += this.event('response.function_call_arguments.done', { ...ref, arguments: item.text });
    }
    return (
      out +
      this.event('response.output_item.done', {
        output_index: item.outputIndex,
        item: this.itemBody(item, 'completed'),
      })
    );
  }

  push(event: IRStreamEvent): string {
    if (this.finished) return '';
    switch (event.type) {
      case 'start':
        this.created = event.created;
        return this.start();
      case 'part_start':
        return (
          this.start() +
          (event.part.type === 'tool_call'
            ? this.open(event.index, 'tool_call', event.part.id, event.part.name)
            : this.open(event.index, event.part.type))
        );
      case 'text_delta':
      case 'thinking_delta': {
        const kind = event.type === 'text_delta' ? 'text' : 'thinking';
        const out = this.start() + (this.items.has(event.index) ? '' : this.open(event.index, kind));
        const item = this.items.get(event.index);
        if (!item) return out;
        item.text += event.text;
        const ref = { item_id: item.id, output_index: item.outputIndex };
        return (
          out +
          (kind === 'text'
            ? this.event('response.output_text.delta', { ...ref, content_index: 0, delta: event.text })
            : this.event('response.reasoning_summary_text.delta', {
                ...ref,
                summary_index: 0,
                delta: event.text,
              }))
        );
      }
      case 'signature_delta': {
        const item = this.items.get(event.index);
        if (item) item.signature = (item.signature ?? '') + event.signature;
        return '';
      }
      case 'tool_args_delta': {
        const item = this.items.get(event.index);
        if (!item) return '';
        item.text += event.json;
        return this.event('response.function_call_arguments.delta', {
          item_id: item.id,
          output_index: item.outputIndex,
          delta: event.json,
        });
      }
      case 'part_stop':
        return this.close(event.index);
      case 'usage':
        this.usage = { ...this.usage, ...event.usage };
        return '';
      case 'finish': {
        let out = this.start();
        for (const index of this.items.keys()) out += this.close(index);
        this.finished = true;
        const incomplete = event.stopReason === 'max_tokens' || event.stopReason === 'content_filter';
        const status = incomplete ? 'incomplete' : 'completed';
        return out + this.event(`response.${status}`, { response: this.response(status, event.stopReason) });
      }
      case 'error':
        this.finished = true;
        return (
          this.start() +
          this.event('response.failed', {
            response: this.response('failed', undefined, {
              code: event.error.code ?? 'server_error',
              message: event.error.message,
            }),
          })
        );
      default:
        return '';
    }
  }

  end(): string {
    return '';
  }
}
