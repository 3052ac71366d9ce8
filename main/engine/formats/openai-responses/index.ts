import { decodeErrorBody, encodeErrorBody } from '../error-shapes';
import type { FormatCodec } from '../ir';
import { field } from '../json';
import { decodeResponsesRequest, encodeResponsesRequest } from './request';
import { decodeResponsesResponse, decodeResponsesUsage, encodeResponsesResponse } from './response';
import { ResponsesStreamDecoder, ResponsesStreamEncoder } from './stream';

export const openaiResponsesCodec: FormatCodec = {
  id: 'openai-responses',
  decodeRequest: (body) => decodeResponsesRequest(body),
  encodeRequest: encodeResponsesRequest,
  decodeResponse: decodeResponsesResponse,
  decodeResponseUsage: (body) => decodeResponsesUsage(field(body, 'usage')),
  encodeResponse: encodeResponsesResponse,
  createStreamDecoder: () => new ResponsesStreamDecoder(),
  createStreamEncoder: (options) => new ResponsesStreamEncoder(options),
  decodeError: decodeErrorBody,
  encodeError: (error) => encodeErrorBody('openai-responses', error),
};
