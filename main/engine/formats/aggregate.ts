import type { IRError, IRResponse, IRStreamEvent, StopReason, Usage } from './ir';

/** Builds the whole answer from a stream's IR events (for upstreams that only stream); an error wins. */
export function aggregateEvents(events: Iterable<IRStreamEvent>): IRResponse | { error: IRError } {
  let id = '';
  let model = '';
  let created = Math.floor(Date.now() / 1000);
  let usage: Usage = { inputTokens: 0, outputTokens: 0 };
  let stopReason: StopReason | undefined;
  let stopSequence: string | undefined;
  const parts = new Map<number, IRResponse['content'][number]>();
  for (const event of events) {
    switch (event.type) {
      case 'start':
        ({ id, model, created } = event);
        break;
      case 'part_start':
        parts.set(
          event.index,
          event.part.type === 'tool_call'
            ? { type: 'tool_call', id: event.part.id, name: event.part.name, arguments: '' }
            : event.part.type === 'thinking'
              ? {
                  type: 'thinking',
                  text: '',
                  ...(event.part.redacted !== undefined ? { redacted: event.part.redacted } : {}),
                }
              : { type: 'text', text: '' },
        );
        break;
      case 'text_delta':
      case 'thinking_delta': {
        const part =
          parts.get(event.index) ??
          (event.type === 'text_delta'
            ? { type: 'text' as const, text: '' }
            : { type: 'thinking' as const, text: '' });
        if (part.type === 'text' || part.type === 'thinking') part.text += event.text;
        parts.set(event.index, part);
        break;
      }
      case 'signature_delta': {
        const part = parts.get(event.index);
        if (part && (part.type === 'thinking' || part.type === 'tool_call'))
          part.signature = (part.signature ?? '') + event.signature;
        break;
      }
      case 'tool_args_delta': {
        const part = parts.get(event.index);
        if (part?.type === 'tool_call') part.arguments += event.json;
        break;
      }
      case 'usage':
        usage = { ...usage, ...event.usage };
        break;
      case 'finish':
        stopReason = event.stopReason;
        stopSequence = event.stopSequence;
        break;
      case 'error':
        return { error: event.error };
      default:
        break;
    }
  }
  if (!stopReason)
    return {
      error: { status: 502, kind: 'server', message: 'The upstream stream ended without finishing.' },
    };
  const content = [...parts.entries()].sort(([a], [b]) => a - b).map(([, part]) => part);
  return {
    id,
    model,
    created,
    content,
    stopReason,
    ...(stopSequence !== undefined ? { stopSequence } : {}),
    usage,
  };
}

/** The stream events that carry one part of a whole answer, at `index`: start, content, stop. */
export function partEvents(part: IRResponse['content'][number], index: number): IRStreamEvent[] {
  const events: IRStreamEvent[] = [];
  switch (part.type) {
    case 'text':
      events.push({ type: 'part_start', index, part: { type: 'text' } });
      if (part.text) events.push({ type: 'text_delta', index, text: part.text });
      break;
    case 'thinking':
      events.push({
        type: 'part_start',
        index,
        part: { type: 'thinking', ...(part.redacted !== undefined ? { redacted: part.redacted } : {}) },
      });
      if (part.text) events.push({ type: 'thinking_delta', index, text: part.text });
      break;
    case 'tool_call':
      events.push({ type: 'part_start', index, part: { type: 'tool_call', id: part.id, name: part.name } });
      if (part.arguments) events.push({ type: 'tool_args_delta', index, json: part.arguments });
      break;
  }
  if (part.type !== 'text' && part.signature)
    events.push({ type: 'signature_delta', index, signature: part.signature });
  events.push({ type: 'part_stop', index });
  return events;
}

/**
 * The stream events a whole answer would have come as: the inverse of aggregateEvents, for an
 * upstream that answers a stream request with one JSON document.
 */
export function responseEvents(response: IRResponse): IRStreamEvent[] {
  const { id, model, created, usage } = response;
  const events: IRStreamEvent[] = [{ type: 'start', id, model, created }];
  response.content.forEach((part, index) => {
    events.push(...partEvents(part, index));
  });
  events.push({ type: 'usage', usage });
  events.push({
    type: 'finish',
    stopReason: response.stopReason,
    ...(response.stopSequence !== undefined ? { stopSequence: response.stopSequence } : {}),
  });
  return events;
}
