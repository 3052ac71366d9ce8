import type { IRStreamEvent, SseMessage, StreamDecoder, Usage } from '../ir';
import { answerText, isObj } from '../json';

/** Kiro reports context use as a percentage; tokens are estimated from it (and said to be). */
export const KIRO_CONTEXT_TOKENS = 200_000;

/** CodeWhisperer events → IR events. The stream's end is the answer's end unless an exception came. */
export class KiroStreamDecoder implements StreamDecoder {
  private started = false;
  private finished = false;
  private nextIndex = 0;
  private text: number | undefined;
  private thinking: number | undefined;
  private readonly tools = new Map<string, number>();
  private sawTool = false;
  private outputChars = 0;
  private usage: Usage | undefined;

  push(message: SseMessage): IRStreamEvent[] {
    if (this.finished) return [];
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      return [];
    }
    const d = isObj(data) ? data : {};
    const events: IRStreamEvent[] = [];
    if (!this.started) {
      this.started = true;
      events.push({
        type: 'start',
        id: `kiro-${Date.now().toString(36)}`,
        model: '',
        created: Math.floor(Date.now() / 1000),
      });
    }
    switch (message.event) {
      case 'assistantResponseEvent': {
        const content = answerText(d.content);
        if (!content) break;
        if (this.text === undefined) {
          this.text = this.nextIndex++;
          events.push({ type: 'part_start', index: this.text, part: { type: 'text' } });
        }
        this.outputChars += content.length;
        events.push({ type: 'text_delta', index: this.text, text: content });
        break;
      }
      case 'reasoningContentEvent': {
        const text = answerText(d.text, answerText(d.content));
        if (this.thinking === undefined) {
          this.thinking = this.nextIndex++;
          events.push({ type: 'part_start', index: this.thinking, part: { type: 'thinking' } });
        }
        if (text) events.push({ type: 'thinking_delta', index: this.thinking, text });
        if (typeof d.signature === 'string')
          events.push({ type: 'signature_delta', index: this.thinking, signature: d.signature });
        break;
      }
      case 'toolUseEvent': {
        const id = answerText(d.toolUseId);
        let index = this.tools.get(id);
        if (index === undefined) {
          index = this.nextIndex++;
          this.tools.set(id, index);
          this.sawTool = true;
          if (this.text !== undefined) {
            events.push({ type: 'part_stop', index: this.text });
            this.text = undefined;
          }
          events.push({
            type: 'part_start',
            index,
            part: { type: 'tool_call', id, name: answerText(d.name) },
          });
        }
        const input = typeof d.input === 'string' ? d.input : isObj(d.input) ? JSON.stringify(d.input) : '';
        if (input) {
          this.outputChars += input.length;
          events.push({ type: 'tool_args_delta', index, json: input });
        }
        if (d.stop === true) events.push({ type: 'part_stop', index });
        break;
      }
      case 'contextUsageEvent': {
        const percent = typeof d.contextUsagePercentage === 'number' ? d.contextUsagePercentage : undefined;
        if (percent !== undefined) {
          this.usage = {
            inputTokens: Math.round((percent / 100) * KIRO_CONTEXT_TOKENS),
            outputTokens: Math.ceil(this.outputChars / 4),
          };
          events.push({ type: 'usage', usage: this.usage });
        }
        break;
      }
      case 'messageStopEvent':
        return [...events, ...this.finish()];
      case 'exception': {
        this.finished = true;
        const tooLong = /CONTENT_LENGTH_EXCEEDS_THRESHOLD|too long/i.test(message.data);
        events.push({
          type: 'error',
          error: tooLong
            ? {
                status: 400,
                kind: 'invalid_request',
                message: 'The prompt is too long for this Kiro model (CONTENT_LENGTH_EXCEEDS_THRESHOLD).',
              }
            : {
                status: 502,
                kind: 'server',
                message: `Kiro stream error: ${answerText(d.message, answerText(d.type, 'unknown'))}`,
              },
        });
        break;
      }
      default:
        break;
    }
    return events;
  }

  private finish(): IRStreamEvent[] {
    if (this.finished) return [];
    this.finished = true;
    const events: IRStreamEvent[] = [];
    if (this.text !== undefined) events.push({ type: 'part_stop', index: this.text });
    if (this.thinking !== undefined) events.push({ type: 'part_stop', index: this.thinking });
    events.push({
      type: 'usage',
      usage: { inputTokens: this.usage?.inputTokens ?? 0, outputTokens: Math.ceil(this.outputChars / 4) },
    });
    events.push({ type: 'finish', stopReason: this.sawTool ? 'tool_call' : 'end' });
    return events;
  }

  end(): IRStreamEvent[] {
    return this.finish();
  }
}
