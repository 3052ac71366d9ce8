import { decodeErrorBody, encodeErrorBody } from '../error-shapes';
import { type FormatCodec, FormatError } from '../ir';
import { EventStreamReader } from './event-stream';
import { encodeKiroRequest } from './request';
import { KiroStreamDecoder } from './stream';

const upstreamOnly = (): never => {
  throw new FormatError('Kiro is an upstream format; clients cannot speak it', undefined, 500);
};

/** CodeWhisperer's body and AWS event-stream answers; only ever spoken to an upstream. */
export const kiroCodec: FormatCodec = {
  id: 'kiro',
  decodeRequest: upstreamOnly,
  encodeRequest: encodeKiroRequest,
  decodeResponse: upstreamOnly,
  decodeResponseUsage: upstreamOnly,
  encodeResponse: upstreamOnly,
  createStreamDecoder: () => new KiroStreamDecoder(),
  createStreamEncoder: upstreamOnly,
  decodeError: (status, text, retryAfter) => {
    const error = decodeErrorBody(status, text, retryAfter);
    return /CONTENT_LENGTH_EXCEEDS_THRESHOLD/.test(text)
      ? {
          ...error,
          status: 400,
          kind: 'invalid_request',
          message: `The prompt is too long for this Kiro model: ${error.message}`,
        }
      : error;
  },
  encodeError: (error) => encodeErrorBody('kiro', error),
  createMessageReader: () => new EventStreamReader(),
};
