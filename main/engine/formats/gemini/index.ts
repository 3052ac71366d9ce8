import { decodeErrorBody, encodeErrorBody } from '../error-shapes';
import type { FormatCodec } from '../ir';
import { field } from '../json';
import { decodeGeminiRequest, encodeGeminiRequest } from './request';
import { decodeGeminiResponse, decodeGeminiUsage, encodeGeminiResponse } from './response';
import { GeminiStreamDecoder, GeminiStreamEncoder } from './stream';

export const geminiCodec: FormatCodec = {
  id: 'gemini',
  decodeRequest: (body, ctx) => decodeGeminiRequest(body, ctx?.model ?? '', ctx?.stream ?? false),
  encodeRequest: encodeGeminiRequest,
  decodeResponse: decodeGeminiResponse,
  decodeResponseUsage: (body) => decodeGeminiUsage(field(body, 'usageMetadata')),
  encodeResponse: encodeGeminiResponse,
  createStreamDecoder: () => new GeminiStreamDecoder(),
  createStreamEncoder: (options) => new GeminiStreamEncoder(options),
  decodeError: decodeErrorBody,
  encodeError: (error) => encodeErrorBody('gemini', error),
};
