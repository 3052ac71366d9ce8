import { claudeCodec } from './claude';
import { geminiCodec } from './gemini';
import type { FormatCodec, FormatId } from './ir';
import { kiroCodec } from './kiro';
import { openaiChatCodec } from './openai-chat';
import { openaiResponsesCodec } from './openai-responses';

const codecs: Record<FormatId, FormatCodec> = {
  'openai-chat': openaiChatCodec,
  'openai-responses': openaiResponsesCodec,
  claude: claudeCodec,
  gemini: geminiCodec,
  kiro: kiroCodec,
};

export function codecFor(format: FormatId): FormatCodec {
  return codecs[format];
}
