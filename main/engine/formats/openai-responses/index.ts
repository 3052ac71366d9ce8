import { decodeErrorBody, encodeErrorBody } from '../error-shapes';
import type { FormatCodec } from '../ir';
import { decodeResponsesRequest, encodeResponsesRequest } from './request';
import { decodeResponsesResponse, encodeResponsesResponse } from './response';
import { ResponsesStreamDecoder, ResponsesStreamEncoder } from './stream';

export const openaiResponsesCodec: FormatCodec = {
  id: 'openai-responses',
  decodeRequest: (body) => decodeResponsesRequest(body),
  encodeRequest: encodeResponsesRequest,
  decodeResponse: decodeResponsesResponse,
  encodeResponse: encodeResponsesResponse,
  createStreamDecoder: () => new ResponsesStreamDecoder(),
  createStreamEncoder: (options) => new ResponsesStreamEncoder(options),
  decodeError: decodeErrorBody,
  encodeError: (error) => encodeErrorBody('openai-responses', error),
};
