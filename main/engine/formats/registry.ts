import { errorCodec } from './error-shapes';
import { type FormatCodec, FormatError, type FormatId } from './ir';

/**
 * Until the per-format codecs land, the engine relays same-format traffic (which needs only the
 * error shapes) and refuses cross-format requests with a clear 501 instead of guessing.
 */
function notYetTranslatable(id: FormatId): FormatCodec {
  const refuse = (): never => {
    throw new FormatError(
      `Translating to or from the ${id} format is not available in this build yet.`,
      undefined,
      501,
    );
  };
  return {
    id,
    decodeRequest: refuse,
    encodeRequest: refuse,
    decodeResponse: refuse,
    encodeResponse: refuse,
    createStreamDecoder: refuse,
    createStreamEncoder: refuse,
    ...errorCodec(id),
  };
}

const codecs: Record<FormatId, FormatCodec> = {
  'openai-chat': notYetTranslatable('openai-chat'),
  'openai-responses': notYetTranslatable('openai-responses'),
  claude: notYetTranslatable('claude'),
  gemini: notYetTranslatable('gemini'),
};

export function codecFor(format: FormatId): FormatCodec {
  return codecs[format];
}
