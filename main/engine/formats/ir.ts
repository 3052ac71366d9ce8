/**
 * The canonical intermediate representation every wire format decodes to and encodes from.
 * N formats meet here, so there are N codecs instead of N² translators. The IR is a superset:
 * anything one format can say that another needs to survive a round trip has a field here.
 */

/** The four client APIs, plus Kiro's CodeWhisperer body, which only upstreams speak. */
export type FormatId = 'openai-chat' | 'openai-responses' | 'claude' | 'gemini' | 'kiro';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type ImageSource = { kind: 'url'; url: string } | { kind: 'base64'; mediaType: string; data: string };

export interface TextPart {
  type: 'text';
  text: string;
}

export interface ImagePart {
  type: 'image';
  source: ImageSource;
}

export interface ToolCallPart {
  type: 'tool_call';
  /** Pairs the call with its result. OpenAI `call_…`, Anthropic `toolu_…`, generated for Gemini. */
  id: string;
  name: string;
  /** The arguments as JSON text, exactly as the model produced them. */
  arguments: string;
  /** Gemini `thoughtSignature` riding on the functionCall part; must be sent back unchanged. */
  signature?: string;
}

export interface ToolResultPart {
  type: 'tool_result';
  callId: string;
  /** The called function's name when known (Gemini needs it; the encoder may look it up by callId). */
  name?: string;
  content: Array<TextPart | ImagePart>;
  isError?: boolean;
}

export interface ThinkingPart {
  type: 'thinking';
  text: string;
  /** Anthropic thinking signature (or Gemini thoughtSignature); sent back unchanged on later turns. */
  signature?: string;
  /** Anthropic `redacted_thinking` data; when set, `text` is empty. */
  redacted?: string;
}

export type ContentPart = TextPart | ImagePart | ToolCallPart | ToolResultPart | ThinkingPart;

/**
 * Tool results travel inside `user` messages (as Anthropic and Gemini do); an OpenAI `tool` message
 * decodes to a user message holding a `tool_result` part.
 */
export interface Message {
  role: 'user' | 'assistant';
  content: ContentPart[];
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: JsonObject;
  strict?: boolean;
}

export type ToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; name: string };

export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';

export interface ReasoningConfig {
  /** Effort level as OpenAI clients express it. */
  effort?: ReasoningEffort;
  /** Token budget as Anthropic and Gemini express it. */
  budgetTokens?: number;
  /** false when the client turned reasoning off explicitly (e.g. Anthropic `thinking.type: disabled`). */
  enabled?: boolean;
}

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: JsonObject; strict?: boolean; description?: string };

export interface IRRequest {
  /** The model as the client asked for it; routing rewrites it to the upstream id. */
  model: string;
  /** System and developer instructions, in order. */
  system: TextPart[];
  messages: Message[];
  tools: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  reasoning?: ReasoningConfig;
  responseFormat?: ResponseFormat;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`: the client wants a final usage chunk. */
  includeUsage?: boolean;
  /** Opaque end-user id some APIs accept (`user`, `metadata.user_id`). */
  user?: string;
}

export type StopReason = 'end' | 'max_tokens' | 'tool_call' | 'stop_sequence' | 'content_filter';

export interface Usage {
  /** All input tokens, cached ones included (OpenAI's convention). */
  inputTokens: number;
  outputTokens: number;
  /** Of inputTokens, those read from a prompt cache. */
  cachedInputTokens?: number;
  /** Of inputTokens, those written to a prompt cache (Anthropic cache_creation_input_tokens). */
  cacheCreationInputTokens?: number;
  /** Of outputTokens, those spent on reasoning. */
  reasoningTokens?: number;
}

export interface IRResponse {
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
  content: Array<TextPart | ToolCallPart | ThinkingPart>;
  stopReason: StopReason;
  /** The stop sequence that ended generation, when the upstream says which. */
  stopSequence?: string;
  usage: Usage;
}

/** Start of a content part in a stream; `index` is the part's position in the final content array. */
export type StreamPartStart =
  | { type: 'text' }
  | { type: 'thinking'; redacted?: string }
  | { type: 'tool_call'; id: string; name: string };

export type IRStreamEvent =
  | { type: 'start'; id: string; model: string; created: number; usage?: Usage }
  | { type: 'part_start'; index: number; part: StreamPartStart }
  | { type: 'text_delta'; index: number; text: string }
  | { type: 'thinking_delta'; index: number; text: string }
  | { type: 'signature_delta'; index: number; signature: string }
  | { type: 'tool_args_delta'; index: number; json: string }
  | { type: 'part_stop'; index: number }
  /** Usage as known so far; a later event replaces an earlier one field by field. */
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; stopReason: StopReason; stopSequence?: string }
  /** The upstream failed mid-stream; encoders emit their format's error event, never a clean finish. */
  | { type: 'error'; error: IRError };

export type IRErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'request_too_large'
  | 'rate_limit'
  | 'overloaded'
  | 'timeout'
  | 'server';

export interface IRError {
  status: number;
  kind: IRErrorKind;
  message: string;
  /** The request field the error is about, when known. */
  param?: string;
  /** A machine-readable code such as `model_not_found`. */
  code?: string;
  /** Seconds, from the upstream's Retry-After. */
  retryAfter?: number;
}

/** Thrown by decoders and encoders for input that cannot be read or expressed; becomes a 400. */
export class FormatError extends Error {
  readonly status: number;
  readonly param: string | undefined;
  readonly code: string | undefined;
  constructor(message: string, param?: string, status = 400, code?: string) {
    super(message);
    this.name = 'FormatError';
    this.param = param;
    this.status = status;
    this.code = code;
  }
}

export function kindForStatus(status: number): IRErrorKind {
  if (status === 400 || status === 422) return 'invalid_request';
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit';
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 500) return 'server';
  return 'invalid_request';
}

/** A parsed server-sent event as upstream stream decoders receive it. */
/**
 * Splits an upstream stream's bytes into messages, synchronously: the relay feeds it each read and
 * gets the messages that read completed (no async iterator per message: each step would cost
 * promises and a microtask turn).
 */
export interface MessageReader {
  push(chunk: Uint8Array): SseMessage[];
  /** The messages the end of the stream completes (a last event without its blank line). */
  end(): SseMessage[];
  /** Set once the framing broke or the upstream reported an exception: read no further. */
  readonly finished: boolean;
}

export interface SseMessage {
  event?: string;
  data: string;
}

/** Turns upstream stream messages into IR events. Stateful: one instance per stream. */
export interface StreamDecoder {
  push(message: SseMessage): IRStreamEvent[];
  /** The upstream stream ended; returns trailing events, or an `error` event if it ended early. */
  end(): IRStreamEvent[];
}

/** Turns IR events into the client's wire format (SSE text, or a JSON array for Gemini without alt=sse). */
export interface StreamEncoder {
  push(event: IRStreamEvent): string;
  /** Trailing bytes after the last event (e.g. `data: [DONE]`, the closing `]`). */
  end(): string;
}

export interface DecodeRequestContext {
  /** For formats whose model and stream flag live in the URL (Gemini). */
  model?: string;
  stream?: boolean;
}

export interface StreamEncoderOptions {
  /** The model name the client asked for, echoed in responses. */
  model: string;
  includeUsage?: boolean;
  /** Gemini only: false = a streamed JSON array (no `alt=sse`). */
  sse?: boolean;
}

/** Everything one wire format knows how to do. One implementation per folder in formats/. */
export interface FormatCodec {
  id: FormatId;
  decodeRequest(body: unknown, ctx?: DecodeRequestContext): IRRequest;
  encodeRequest(request: IRRequest): JsonObject;
  decodeResponse(body: unknown): IRResponse;
  /** Only the usage of a whole answer (what passthrough accounts for), without decoding the rest. */
  decodeResponseUsage(body: unknown): Usage;
  encodeResponse(response: IRResponse, clientModel: string): JsonObject;
  createStreamDecoder(): StreamDecoder;
  createStreamEncoder(options: StreamEncoderOptions): StreamEncoder;
  /** Reads an upstream error body (text, possibly not JSON) into an IR error. */
  decodeError(status: number, bodyText: string, retryAfter?: number): IRError;
  /** Renders an IR error as this format's error body. */
  encodeError(error: IRError): JsonObject;
  /** Reads the upstream's stream framing when it is not SSE (Kiro's AWS event-stream). */
  createMessageReader?(): MessageReader;
}
