import { decodeErrorBody, encodeErrorBody } from '../error-shapes';
import type { FormatCodec } from '../ir';
import { field } from '../json';
import { decodeClaudeRequest, encodeClaudeRequest } from './request';
import { decodeClaudeResponse, decodeClaudeUsage, encodeClaudeResponse } from './response';
import { ClaudeStreamDecoder, ClaudeStreamEncoder } from './stream';

export const claudeCodec: FormatCodec = {
  id: 'claude',
  decodeRequest: (body) => decodeClaudeRequest(body),
  encodeRequest: encodeClaudeRequest,
  decodeResponse: decodeClaudeResponse,
  decodeResponseUsage: (body) => decodeClaudeUsage(field(body, 'usage')),
  encodeResponse: encodeClaudeResponse,
  createStreamDecoder: () => new ClaudeStreamDecoder(),
  createStreamEncoder: (options) => new ClaudeStreamEncoder(options),
  decodeError: decodeErrorBody,
  encodeError: (error) => encodeErrorBody('claude', error),
};
