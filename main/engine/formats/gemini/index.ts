import { decodeErrorBody, encodeErrorBody } from '../error-shapes';
import type { FormatCodec } from '../ir';
import { decodeGeminiRequest, encodeGeminiRequest } from './request';
import { decodeGeminiResponse, encodeGeminiResponse } from './response';
import { GeminiStreamDecoder, GeminiStreamEncoder } from './stream';

export const geminiCodec: FormatCodec = {
  id: 'gemini',
  decodeRequest: (body, ctx) => decodeGeminiRequest(body, ctx?.model ?? '', ctx?.stream ?? false),
  encodeRequest: encodeGeminiRequest,
  decodeResponse: decodeGeminiResponse,
  encodeResponse: encodeGeminiResponse,
  createStreamDecoder: () => new GeminiStreamDecoder(),
  createStreamEncoder: (options) => new GeminiStreamEncoder(options),
  decodeError: decodeErrorBody,
  encodeError: (error) => encodeErrorBody('gemini', error),
};
