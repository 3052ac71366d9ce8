import { describe, expect, it } from 'vitest';
import { FormatError, type FormatId } from './ir';
import { codecFor } from './registry';

// A client field the wire format types as a string must arrive as one. Coercing it hid the mistake
// ("[object Object]" sent upstream as an image URL) or, for an object whose toString is not a
// function, threw a TypeError that became a 500 (found by the fuzz suite with more runs).
const UNCOERCIBLE = { toString: false };
const user = (content: unknown) => ({ messages: [{ role: 'user', content }] });

const CASES: Array<{ format: FormatId; body: unknown; param: string }> = [
  {
    format: 'openai-chat',
    body: {
      model: 'm',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [{ type: 'refusal', refusal: UNCOERCIBLE }] },
      ],
    },
    param: 'messages[1].content[0].refusal',
  },
  {
    format: 'openai-responses',
    body: {
      model: 'm',
      input: [{ type: 'message', role: 'assistant', content: [{ type: 'refusal', refusal: UNCOERCIBLE }] }],
    },
    param: 'input[0].content[0].refusal',
  },
  {
    format: 'openai-responses',
    body: {
      model: 'm',
      input: [{ type: 'reasoning', summary: [{ type: 'summary_text', text: UNCOERCIBLE }] }],
    },
    param: 'input[0].summary[0].text',
  },
  {
    format: 'openai-responses',
    body: {
      model: 'm',
      input: 'hi',
      text: { format: { type: 'json_schema', name: UNCOERCIBLE, schema: { type: 'object' } } },
    },
    param: 'text.format.name',
  },
  {
    format: 'claude',
    body: {
      model: 'm',
      max_tokens: 10,
      ...user([{ type: 'image', source: { type: 'url', url: UNCOERCIBLE } }]),
    },
    param: 'messages[0].content[0].source.url',
  },
  {
    format: 'claude',
    body: {
      model: 'm',
      max_tokens: 10,
      ...user([{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: [1, 2] } }]),
    },
    param: 'messages[0].content[0].source.data',
  },
  {
    format: 'claude',
    body: {
      model: 'm',
      max_tokens: 10,
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [{ type: 'redacted_thinking', data: 42 }] },
      ],
    },
    param: 'messages[1].content[0].data',
  },
  {
    format: 'gemini',
    body: {
      contents: [{ role: 'user', parts: [{ fileData: { mimeType: 'image/png', fileUri: UNCOERCIBLE } }] }],
    },
    param: 'contents[0].parts[0].fileData.fileUri',
  },
  {
    format: 'gemini',
    body: {
      contents: [{ role: 'user', parts: [{ inlineData: { mimeType: ['image/png'], data: 'AAAA' } }] }],
    },
    param: 'contents[0].parts[0].inlineData.mimeType',
  },
  {
    format: 'gemini',
    body: {
      contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
      tools: [{ functionDeclarations: [{ name: 'a', parameters: { type: 'object' } }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [UNCOERCIBLE] } },
    },
    param: 'toolConfig.functionCallingConfig.allowedFunctionNames[0]',
  },
  {
    format: 'openai-chat',
    body: { model: 'm', messages: [{ role: 'user', content: 'hi' }], stop: ['end', UNCOERCIBLE] },
    param: 'stop[1]',
  },
  {
    format: 'claude',
    body: { model: 'm', max_tokens: 10, ...user('hi'), stop_sequences: [UNCOERCIBLE] },
    param: 'stop_sequences[0]',
  },
  {
    format: 'gemini',
    body: {
      contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
      generationConfig: { stopSequences: [7] },
    },
    param: 'generationConfig.stopSequences[0]',
  },
];

describe('string fields of client requests', () => {
  it.each(CASES)('$format rejects a non-string $param with a 400 naming it', ({ format, body, param }) => {
    let thrown: unknown;
    try {
      codecFor(format).decodeRequest(body, { model: 'm', stream: false });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FormatError);
    expect((thrown as FormatError).status).toBe(400);
    expect((thrown as FormatError).param).toBe(param);
    expect((thrown as FormatError).message).toContain('expected a string');
  });
});
