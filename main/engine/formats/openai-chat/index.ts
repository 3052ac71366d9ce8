import { decodeErrorBody, encodeErrorBody } from '../error-shapes';
import type { FormatCodec } from '../ir';
import { field } from '../json';
import { decodeChatRequest, encodeChatRequest } from './request';
import { decodeChatResponse, decodeChatUsage, encodeChatResponse } from './response';
import { ChatStreamDecoder, ChatStreamEncoder } from './stream';

export const openaiChatCodec: FormatCodec = {
  id: 'openai-chat',
  decodeRequest: (body) => decodeChatRequest(body),
  encodeRequest: encodeChatRequest,
  decodeResponse: decodeChatResponse,
  decodeResponseUsage: (body) => decodeChatUsage(field(body, 'usage')),
  encodeResponse: encodeChatResponse,
  createStreamDecoder: () => new ChatStreamDecoder(),
  createStreamEncoder: (options) => new ChatStreamEncoder(options),
  decodeError: decodeErrorBody,
  encodeError: (error) => encodeErrorBody('openai-chat', error),
};
