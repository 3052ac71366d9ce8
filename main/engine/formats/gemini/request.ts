import {
  type ContentPart,
  FormatError,
  type ImagePart,
  type IRRequest,
  type JsonObject,
  type Message,
  type TextPart,
  type ToolChoice,
  type ToolDefinition,
} from '../ir';
import {
  argsObject,
  asJsonObject,
  expectArray,
  expectObj,
  isObj,
  type Obj,
  optNumber,
  optString,
  optStringArray,
} from '../json';
import { budgetToEffort, effortToBudget } from '../reasoning';
import { cleanSchemaForGemini, MAX_SCHEMA_NODES } from './schema-clean';

/** Google documents this value for function calls whose signature was lost (history from elsewhere). */
export const DUMMY_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

function decodeParts(
  parts: unknown,
  param: string,
  role: 'user' | 'assistant',
  pending: Map<string, string[]>,
  turn: number,
): ContentPart[] {
  return expectArray(parts, param).flatMap((raw, i): ContentPart[] => {
    const part = expectObj(raw, `${param}[${i}]`);
    const at = `${param}[${i}]`;
    const signature = typeof part.thoughtSignature === 'string' ? part.thoughtSignature : undefined;
    if (typeof part.text === 'string') {
      if (part.thought === true)
        return [{ type: 'thinking', text: part.text, ...(signature ? { signature } : {}) }];
      return part.text === '' ? [] : [{ type: 'text', text: part.text }];
    }
    if (isObj(part.inlineData)) {
      return [
        {
          type: 'image',
          source: {
            kind: 'base64',
            mediaType: optString(part.inlineData.mimeType, `${at}.inlineData.mimeType`) ?? 'image/png',
            data: optString(part.inlineData.data, `${at}.inlineData.data`) ?? '',
          },
        },
      ];
    }
    if (isObj(part.fileData))
      return [
        {
          type: 'image',
          source: { kind: 'url', url: optString(part.fileData.fileUri, `${at}.fileData.fileUri`) ?? '' },
        },
      ];
    if (isObj(part.functionCall)) {
      const name = optString(part.functionCall.name, `${at}.functionCall.name`) ?? '';
      // Gemini calls carry no id unless the client set one: name them so the responses can pair up.
      const id =
        typeof part.functionCall.id === 'string' && part.functionCall.id
          ? part.functionCall.id
          : `call_${name}_${turn}_${i}`;
      const queue = pending.get(name) ?? [];
      queue.push(id);
      pending.set(name, queue);
      return [
        {
          type: 'tool_call',
          id,
          name,
          arguments: JSON.stringify(part.functionCall.args ?? {}),
          ...(signature ? { signature } : {}),
        },
      ];
    }
    if (isObj(part.functionResponse)) {
      const name = optString(part.functionResponse.name, `${at}.functionResponse.name`);
      if (!name)
        throw new FormatError(`${at}.functionResponse.name is required`, `${at}.functionResponse.name`);
      const given = typeof part.functionResponse.id === 'string' ? part.functionResponse.id : undefined;
      const callId = given ?? pending.get(name)?.shift() ?? `call_${name}`;
      const response = part.functionResponse.response;
      const text =
        isObj(response) && typeof response.output === 'string' && Object.keys(response).length === 1
          ? response.output
          : isObj(response) && typeof response.error === 'string' && Object.keys(response).length === 1
            ? response.error
            : JSON.stringify(response ?? {});
      const isError = isObj(response) && response.error !== undefined && response.output === undefined;
      return [
        {
          type: 'tool_result',
          callId,
          name,
          content: [{ type: 'text', text }],
          ...(isError ? { isError: true } : {}),
        },
      ];
    }
    if (role === 'assistant' && (part.executableCode || part.codeExecutionResult)) {
      throw new FormatError(`${at}: code execution parts are not supported`, at);
    }
    throw new FormatError(
      `${at}: unsupported part (expected text, inlineData, fileData, functionCall or functionResponse)`,
      at,
    );
  });
}

function decodeTools(value: unknown): ToolDefinition[] {
  if (value === undefined) return [];
  return expectArray(value, 'tools').flatMap((raw, i) => {
    const tool = expectObj(raw, `tools[${i}]`);
    const other = Object.keys(tool).filter((k) => k !== 'functionDeclarations');
    if (other.length > 0)
      throw new FormatError(
        `tools[${i}].${other[0]}: only functionDeclarations are supported`,
        `tools[${i}]`,
      );
    return expectArray(tool.functionDeclarations ?? [], `tools[${i}].functionDeclarations`).map(
      (rawDecl, j) => {
        const decl = expectObj(rawDecl, `tools[${i}].functionDeclarations[${j}]`);
        const description = optString(decl.description, `tools[${i}].functionDeclarations[${j}].description`);
        const parameters = isObj(decl.parametersJsonSchema)
          ? decl.parametersJsonSchema
          : isObj(decl.parameters)
            ? decl.parameters
            : { type: 'object', properties: {} };
        return {
          name: optString(decl.name, `tools[${i}].functionDeclarations[${j}].name`) ?? '',
          ...(description ? { description } : {}),
          parameters: lowerTypes(parameters) as JsonObject,
        };
      },
    );
  });
}

/** Gemini's own schema spells types in capitals (OBJECT, STRING); JSON Schema wants lower case. */
function lowerTypes(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(lowerTypes);
  if (!isObj(node)) return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [
      k,
      k === 'type' && typeof v === 'string' ? v.toLowerCase() : lowerTypes(v),
    ]),
  );
}

function decodeToolChoice(config: unknown): ToolChoice | undefined {
  if (!isObj(config) || !isObj(config.functionCallingConfig)) return undefined;
  const fc = config.functionCallingConfig;
  if (fc.mode === 'NONE') return { type: 'none' };
  if (fc.mode === 'ANY') {
    const names = Array.isArray(fc.allowedFunctionNames) ? fc.allowedFunctionNames : [];
    if (names.length !== 1) return { type: 'required' };
    const param = 'toolConfig.functionCallingConfig.allowedFunctionNames[0]';
    return { type: 'tool', name: optString(names[0], param) ?? '' };
  }
  if (fc.mode === 'AUTO' || fc.mode === 'VALIDATED') return { type: 'auto' };
  return undefined;
}

export function decodeGeminiRequest(body: unknown, model: string, stream: boolean): IRRequest {
  const b = expectObj(body, 'body');
  const pending = new Map<string, string[]>();
  const messages: Message[] = expectArray(b.contents, 'contents').map((raw, i) => {
    const content = expectObj(raw, `contents[${i}]`);
    const role = content.role ?? 'user';
    if (role !== 'user' && role !== 'model')
      throw new FormatError(`contents[${i}].role: must be user or model`, `contents[${i}].role`);
    const irRole = role === 'model' ? 'assistant' : 'user';
    return {
      role: irRole,
      content: decodeParts(content.parts ?? [], `contents[${i}].parts`, irRole, pending, i),
    };
  });
  const sys = isObj(b.systemInstruction)
    ? b.systemInstruction
    : typeof b.systemInstruction === 'string'
      ? { parts: [{ text: b.systemInstruction }] }
      : undefined;
  const system: TextPart[] = sys
    ? expectArray(sys.parts ?? [], 'systemInstruction.parts').flatMap((p) =>
        isObj(p) && typeof p.text === 'string' && p.text ? [{ type: 'text' as const, text: p.text }] : [],
      )
    : [];
  const gc = isObj(b.generationConfig) ? b.generationConfig : {};
  const candidates = optNumber(gc.candidateCount, 'generationConfig.candidateCount');
  if (candidates !== undefined && candidates > 1)
    throw new FormatError(
      'generationConfig.candidateCount: only one candidate is supported',
      'generationConfig.candidateCount',
    );
  const thinking = isObj(gc.thinkingConfig) ? gc.thinkingConfig : undefined;
  const budget = thinking
    ? optNumber(thinking.thinkingBudget, 'generationConfig.thinkingConfig.thinkingBudget')
    : undefined;
  const maxTokens = optNumber(gc.maxOutputTokens, 'generationConfig.maxOutputTokens');
  const temperature = optNumber(gc.temperature, 'generationConfig.temperature');
  const topP = optNumber(gc.topP, 'generationConfig.topP');
  const topK = optNumber(gc.topK, 'generationConfig.topK');
  const stop = optStringArray(gc.stopSequences, 'generationConfig.stopSequences');
  const toolChoice = decodeToolChoice(b.toolConfig);
  const schema = isObj(gc.responseJsonSchema)
    ? gc.responseJsonSchema
    : isObj(gc.responseSchema)
      ? lowerTypes(gc.responseSchema)
      : undefined;
  const reasoning =
    budget === 0
      ? { enabled: false }
      : budget !== undefined && budget > 0
        ? { budgetTokens: budget, effort: budgetToEffort(budget) }
        : budget === -1 || thinking?.includeThoughts === true
          ? { effort: 'medium' as const, budgetTokens: effortToBudget('medium') }
          : undefined;
  return {
    model,
    system,
    messages,
    tools: decodeTools(b.tools),
    stream,
    ...(toolChoice ? { toolChoice } : {}),
    ...(maxTokens !== undefined ? { maxOutputTokens: maxTokens } : {}),
    ...(temperature !== undefined ? { temperature } : {}),
    ...(topP !== undefined ? { topP } : {}),
    ...(topK !== undefined ? { topK } : {}),
    ...(stop && stop.length > 0 ? { stop } : {}),
    ...(reasoning ? { reasoning } : {}),
    ...(gc.responseMimeType === 'application/json'
      ? {
          responseFormat: schema
            ? { type: 'json_schema' as const, name: 'response', schema: asJsonObject(schema) }
            : { type: 'json_object' as const },
        }
      : {}),
  };
}

function encodeImage(part: ImagePart): Obj {
  if (part.source.kind === 'base64')
    return { inlineData: { mimeType: part.source.mediaType, data: part.source.data } };
  throw new FormatError('image_url: Gemini needs image bytes; the URL must be fetched first', 'image_url');
}

export function encodeGeminiRequest(ir: IRRequest): JsonObject {
  const names = new Map<string, string>();
  for (const m of ir.messages) for (const p of m.content) if (p.type === 'tool_call') names.set(p.id, p.name);
  const contents: Array<{ role: 'user' | 'model'; parts: Obj[] }> = [];
  for (const message of ir.messages) {
    const parts = message.content.flatMap((part): Obj[] => {
      switch (part.type) {
        case 'text':
          return part.text ? [{ text: part.text }] : [];
        case 'image':
          return [encodeImage(part)];
        case 'thinking':
          return message.role === 'assistant' && part.signature && !part.redacted
            ? [{ text: part.text, thought: true, thoughtSignature: part.signature }]
            : [];
        case 'tool_call':
          return [
            {
              functionCall: { name: part.name, args: argsObject(part.arguments) },
              thoughtSignature: part.signature ?? DUMMY_THOUGHT_SIGNATURE,
            },
          ];
        case 'tool_result': {
          const name = part.name ?? names.get(part.callId);
          if (!name)
            throw new FormatError(
              `tool result ${part.callId} has no matching tool call (Gemini needs the function name)`,
              'messages',
            );
          const text = part.content.map((c) => (c.type === 'text' ? c.text : '[image]')).join('\n');
          return [
            { functionResponse: { name, response: part.isError ? { error: text } : { output: text } } },
          ];
        }
      }
      return [];
    });
    if (parts.length === 0) continue;
    const role = message.role === 'assistant' ? 'model' : 'user';
    const last = contents.at(-1);
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  }
  const body: Obj = { contents };
  if (ir.system.length > 0) body.systemInstruction = { parts: ir.system.map((p) => ({ text: p.text })) };
  if (ir.tools.length > 0) {
    const budget = { nodes: MAX_SCHEMA_NODES };
    body.tools = [
      {
        functionDeclarations: ir.tools.map((t) => ({
          name: t.name,
          ...(t.description ? { description: t.description } : {}),
          parameters: cleanSchemaForGemini(t.parameters, budget),
        })),
      },
    ];
  }
  if (ir.toolChoice && ir.tools.length > 0) {
    const tc = ir.toolChoice;
    body.toolConfig = {
      functionCallingConfig:
        tc.type === 'tool'
          ? { mode: 'ANY', allowedFunctionNames: [tc.name] }
          : { mode: tc.type === 'required' ? 'ANY' : tc.type === 'none' ? 'NONE' : 'AUTO' },
    };
  }
  const gc: Obj = {};
  if (ir.maxOutputTokens !== undefined) gc.maxOutputTokens = ir.maxOutputTokens;
  if (ir.temperature !== undefined) gc.temperature = ir.temperature;
  if (ir.topP !== undefined) gc.topP = ir.topP;
  if (ir.topK !== undefined) gc.topK = ir.topK;
  if (ir.stop) gc.stopSequences = ir.stop;
  if (ir.reasoning) {
    gc.thinkingConfig =
      ir.reasoning.enabled === false
        ? { thinkingBudget: 0 }
        : {
            thinkingBudget: ir.reasoning.budgetTokens ?? effortToBudget(ir.reasoning.effort ?? 'medium'),
            includeThoughts: true,
          };
  }
  if (ir.responseFormat?.type === 'json_object') gc.responseMimeType = 'application/json';
  if (ir.responseFormat?.type === 'json_schema') {
    gc.responseMimeType = 'application/json';
    gc.responseJsonSchema = ir.responseFormat.schema;
  }
  if (Object.keys(gc).length > 0) body.generationConfig = gc;
  return body as JsonObject;
}
