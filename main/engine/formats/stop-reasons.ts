import type { FormatId, StopReason } from './ir';

/**
 * The one table of stop reasons. Each row: how a format says it when encoding. Decoding uses
 * `decodeStopReason`, which also accepts the extra spellings a format may send.
 */
const encodeTable: Record<StopReason, Record<FormatId, string>> = {
  end: {
    'openai-chat': 'stop',
    'openai-responses': 'completed',
    claude: 'end_turn',
    gemini: 'STOP',
    kiro: 'end_turn',
  },
  max_tokens: {
    'openai-chat': 'length',
    'openai-responses': 'max_output_tokens',
    claude: 'max_tokens',
    gemini: 'MAX_TOKENS',
    kiro: 'max_tokens',
  },
  tool_call: {
    'openai-chat': 'tool_calls',
    'openai-responses': 'completed',
    claude: 'tool_use',
    gemini: 'STOP',
    kiro: 'tool_use',
  },
  stop_sequence: {
    'openai-chat': 'stop',
    'openai-responses': 'completed',
    claude: 'stop_sequence',
    gemini: 'STOP',
    kiro: 'end_turn',
  },
  content_filter: {
    'openai-chat': 'content_filter',
    'openai-responses': 'content_filter',
    claude: 'refusal',
    gemini: 'SAFETY',
    kiro: 'end_turn',
  },
};

const decodeTable: Record<FormatId, Record<string, StopReason>> = {
  // Kiro has no stop reasons on the wire; its decoder derives them from what it saw.
  kiro: {},
  'openai-chat': {
    stop: 'end',
    length: 'max_tokens',
    tool_calls: 'tool_call',
    function_call: 'tool_call',
    content_filter: 'content_filter',
  },
  'openai-responses': {
    completed: 'end',
    max_output_tokens: 'max_tokens',
    content_filter: 'content_filter',
  },
  claude: {
    end_turn: 'end',
    max_tokens: 'max_tokens',
    tool_use: 'tool_call',
    stop_sequence: 'stop_sequence',
    refusal: 'content_filter',
    pause_turn: 'end',
    model_context_window_exceeded: 'max_tokens',
  },
  gemini: {
    STOP: 'end',
    MAX_TOKENS: 'max_tokens',
    SAFETY: 'content_filter',
    RECITATION: 'content_filter',
    BLOCKLIST: 'content_filter',
    PROHIBITED_CONTENT: 'content_filter',
    SPII: 'content_filter',
    IMAGE_SAFETY: 'content_filter',
    LANGUAGE: 'content_filter',
    MALFORMED_FUNCTION_CALL: 'end',
    OTHER: 'end',
    FINISH_REASON_UNSPECIFIED: 'end',
  },
};

export function encodeStopReason(format: FormatId, reason: StopReason): string {
  return encodeTable[reason][format];
}

/** Unknown spellings decode to `end`: a finished answer is better than a failed one for an unknown label. */
export function decodeStopReason(format: FormatId, value: string | null | undefined): StopReason {
  if (!value) return 'end';
  return decodeTable[format][value] ?? 'end';
}
