import { randomUUID } from 'node:crypto';
import type { ContentPart, IRRequest, JsonObject } from '../ir';
import { argsObject, type Obj } from '../json';

/** Kiro rejects empty content; a turn made only of tool results still needs a few words. */
const TOOL_RESULTS_ONLY = 'Tool results are provided.';

function textOf(parts: ContentPart[]): string {
  return parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
}

function images(parts: ContentPart[]): Obj[] {
  return parts.flatMap((p) =>
    p.type === 'image' && p.source.kind === 'base64'
      ? [{ format: p.source.mediaType.split('/')[1] ?? 'png', source: { bytes: p.source.data } }]
      : [],
  );
}

function toolResults(parts: ContentPart[]): Obj[] {
  return parts.flatMap((p) =>
    p.type === 'tool_result'
      ? [
          {
            toolUseId: p.callId,
            content: [
              {
                text: p.content.map((c) => (c.type === 'text' ? c.text : '[image]')).join('\n') || '(empty)',
              },
            ],
            status: p.isError ? 'error' : 'success',
          },
        ]
      : [],
  );
}

function userMessage(parts: ContentPart[], model: string, context: Obj): Obj {
  const results = toolResults(parts);
  const pictures = images(parts);
  const text = textOf(parts) || (results.length > 0 ? TOOL_RESULTS_ONLY : '.');
  const ctx = { ...context, ...(results.length > 0 ? { toolResults: results } : {}) };
  return {
    userInputMessage: {
      content: text,
      modelId: model,
      origin: 'AI_EDITOR',
      ...(pictures.length > 0 ? { images: pictures } : {}),
      ...(Object.keys(ctx).length > 0 ? { userInputMessageContext: ctx } : {}),
    },
  };
}

/**
 * IR → CodeWhisperer's conversationState: no system role (the system prompt leads the first user
 * turn), strict user/assistant alternation, tools on the current message, results in the context.
 */
export function encodeKiroRequest(ir: IRRequest): JsonObject {
  const turns: Array<{ role: 'user' | 'assistant'; content: ContentPart[] }> = [];
  for (const message of ir.messages) {
    const last = turns.at(-1);
    if (last && last.role === message.role) last.content.push(...message.content);
    else turns.push({ role: message.role, content: [...message.content] });
  }
  if (turns[0]?.role !== 'user') turns.unshift({ role: 'user', content: [{ type: 'text', text: '.' }] });
  if (turns.at(-1)?.role !== 'user')
    turns.push({ role: 'user', content: [{ type: 'text', text: 'Continue.' }] });
  const system = ir.system.map((p) => p.text).join('\n\n');
  if (system && turns[0]) turns[0].content.unshift({ type: 'text', text: system });
  const tools = ir.tools.map((t) => ({
    toolSpecification: {
      name: t.name,
      description: t.description || t.name,
      inputSchema: { json: t.parameters },
    },
  }));
  const history = turns.slice(0, -1).map((turn) =>
    turn.role === 'user'
      ? userMessage(turn.content, ir.model, {})
      : {
          assistantResponseMessage: {
            content: textOf(turn.content) || '.',
            ...(turn.content.some((p) => p.type === 'tool_call')
              ? {
                  toolUses: turn.content.flatMap((p) =>
                    p.type === 'tool_call'
                      ? [{ toolUseId: p.id, name: p.name, input: argsObject(p.arguments) }]
                      : [],
                  ),
                }
              : {}),
          },
        },
  );
  const current = userMessage(turns.at(-1)?.content ?? [], ir.model, tools.length > 0 ? { tools } : {});
  return {
    conversationState: {
      chatTriggerType: 'MANUAL',
      conversationId: randomUUID(),
      currentMessage: current,
      ...(history.length > 0 ? { history } : {}),
    },
  } as JsonObject;
}
