import { newResponseId } from '../ids';
import type { IRResponse, JsonObject, StopReason, Usage } from '../ir';
import { answerText, expectObj, isObj, type Obj } from '../json';
import { decodeStopReason, encodeStopReason } from '../stop-reasons';

/** Gemini counts thoughts apart from candidates; the IR's output includes reasoning. */
export function decodeGeminiUsage(value: unknown): Usage {
  const u = isObj(value) ? value : {};
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  const thoughts = num(u.thoughtsTokenCount);
  const cached = num(u.cachedContentTokenCount);
  return {
    inputTokens: num(u.promptTokenCount),
    outputTokens: num(u.candidatesTokenCount) + thoughts,
    ...(cached > 0 ? { cachedInputTokens: cached } : {}),
    ...(thoughts > 0 ? { reasoningTokens: thoughts } : {}),
  };
}

export function encodeGeminiUsage(usage: Usage): Obj {
  const thoughts = usage.reasoningTokens ?? 0;
  return {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: Math.max(0, usage.outputTokens - thoughts),
    totalTokenCount: usage.inputTokens + usage.outputTokens,
    ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
    ...(usage.cachedInputTokens ? { cachedContentTokenCount: usage.cachedInputTokens } : {}),
  };
}

/** Parts of the first candidate as IR content; function calls get ids (Gemini has none unless set). */
export function decodeCandidateParts(parts: unknown, nextId: () => string): IRResponse['content'] {
  const content: IRResponse['content'] = [];
  if (!Array.isArray(parts)) return content;
  for (const raw of parts) {
    if (!isObj(raw)) continue;
    const signature = typeof raw.thoughtSignature === 'string' ? raw.thoughtSignature : undefined;
    if (typeof raw.text === 'string') {
      if (raw.thought === true)
        content.push({ type: 'thinking', text: raw.text, ...(signature ? { signature } : {}) });
      else if (raw.text) content.push({ type: 'text', text: raw.text });
    } else if (isObj(raw.functionCall)) {
      content.push({
        type: 'tool_call',
        id: typeof raw.functionCall.id === 'string' && raw.functionCall.id ? raw.functionCall.id : nextId(),
        name: answerText(raw.functionCall.name),
        arguments: JSON.stringify(raw.functionCall.args ?? {}),
        ...(signature ? { signature } : {}),
      });
    }
  }
  return content;
}

export function geminiStop(finishReason: unknown, hasCalls: boolean): StopReason {
  const reason = decodeStopReason('gemini', typeof finishReason === 'string' ? finishReason : 'STOP');
  return hasCalls && reason === 'end' ? 'tool_call' : reason;
}

/**
 * Gemini refused the prompt itself: no candidates, and `promptFeedback.blockReason` says why (an
 * HTTP 200). The answer is empty because it was filtered, not because the model said nothing.
 */
export function promptBlocked(body: Obj): boolean {
  const noCandidates = !Array.isArray(body.candidates) || body.candidates.length === 0;
  return noCandidates && isObj(body.promptFeedback) && typeof body.promptFeedback.blockReason === 'string';
}

export function decodeGeminiResponse(body: unknown): IRResponse {
  const b = expectObj(body, 'response');
  const candidate = Array.isArray(b.candidates) && isObj(b.candidates[0]) ? b.candidates[0] : {};
  let n = 0;
  const content = decodeCandidateParts(
    isObj(candidate.content) ? candidate.content.parts : [],
    () => `call_${Date.now().toString(36)}_${n++}`,
  );
  return {
    id: answerText(b.responseId) || newResponseId('gen-'),
    model: answerText(b.modelVersion),
    created: Math.floor(Date.now() / 1000),
    content,
    stopReason: promptBlocked(b)
      ? 'content_filter'
      : geminiStop(
          candidate.finishReason,
          content.some((p) => p.type === 'tool_call'),
        ),
    usage: decodeGeminiUsage(b.usageMetadata),
  };
}

export function encodeGeminiParts(content: IRResponse['content']): Obj[] {
  return content.flatMap((p): Obj[] => {
    if (p.type === 'text') return p.text ? [{ text: p.text }] : [];
    if (p.type === 'thinking')
      return p.redacted
        ? []
        : [{ text: p.text, thought: true, ...(p.signature ? { thoughtSignature: p.signature } : {}) }];
    let args: unknown = {};
    try {
      args = JSON.parse(p.arguments || '{}');
    } catch {
      args = {};
    }
    return [
      {
        functionCall: { id: p.id, name: p.name, args: isObj(args) ? args : {} },
        ...(p.signature ? { thoughtSignature: p.signature } : {}),
      },
    ];
  });
}

export function encodeGeminiResponse(response: IRResponse, clientModel: string): JsonObject {
  return {
    candidates: [
      {
        content: { role: 'model', parts: encodeGeminiParts(response.content) },
        finishReason: encodeStopReason('gemini', response.stopReason),
        index: 0,
      },
    ],
    usageMetadata: encodeGeminiUsage(response.usage),
    modelVersion: clientModel,
    responseId: response.id,
  } as unknown as JsonObject;
}
