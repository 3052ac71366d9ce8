import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';

/** What every client driver must do, the same way for each inbound API. */
export interface ClientDriver {
  name: string;
  text(model: string, prompt: string): Promise<string>;
  stream(model: string, prompt: string): Promise<{ text: string; chunks: number }>;
  /** Turn 1 asks with a tool; the model calls it; turn 2 sends the result back; returns turn 2's text. */
  toolRoundTrip(model: string): Promise<{ call: { name: string; args: unknown }; answer: string }>;
  /** Streams a turn whose answer is (parallel) tool calls; returns the reassembled calls. */
  streamedToolCalls(model: string): Promise<Array<{ name: string; args: unknown }>>;
}

const weatherSchema = {
  type: 'object' as const,
  properties: { city: { type: 'string', description: 'City name' } },
  required: ['city'],
  additionalProperties: false,
};

export function openaiChatDriver(baseUrl: string, apiKey: string): ClientDriver {
  const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey, maxRetries: 0 });
  const tools = [
    {
      type: 'function' as const,
      function: { name: 'get_weather', description: 'Weather for a city', parameters: weatherSchema },
    },
  ];
  return {
    name: 'openai-chat',
    async text(model, prompt) {
      const r = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: prompt }],
      });
      return r.choices[0]?.message.content ?? '';
    },
    async stream(model, prompt) {
      const s = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: prompt }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      let chunks = 0;
      for await (const chunk of s) {
        chunks++;
        text += chunk.choices[0]?.delta.content ?? '';
      }
      return { text, chunks };
    },
    async toolRoundTrip(model) {
      const messages: OpenAI.ChatCompletionMessageParam[] = [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris?' },
      ];
      const first = await client.chat.completions.create({ model, messages, tools });
      const call = first.choices[0]?.message.tool_calls?.[0];
      if (call?.type !== 'function') throw new Error('no tool call');
      messages.push(first.choices[0]!.message, {
        role: 'tool',
        tool_call_id: call.id,
        content: 'sunny, 21C',
      });
      const second = await client.chat.completions.create({ model, messages, tools });
      return {
        call: { name: call.function.name, args: JSON.parse(call.function.arguments) },
        answer: second.choices[0]?.message.content ?? '',
      };
    },
    async streamedToolCalls(model) {
      const final = await client.chat.completions
        .stream({
          model,
          messages: [{ role: 'user', content: 'Weather in Paris and Tokyo, in parallel?' }],
          tools,
        })
        .finalChatCompletion();
      return (final.choices[0]?.message.tool_calls ?? []).map((c) =>
        c.type === 'function'
          ? { name: c.function.name, args: JSON.parse(c.function.arguments) }
          : { name: '', args: null },
      );
    },
  };
}

export function openaiResponsesDriver(baseUrl: string, apiKey: string): ClientDriver {
  const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey, maxRetries: 0 });
  const tools: OpenAI.Responses.Tool[] = [
    {
      type: 'function',
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: weatherSchema,
      strict: false,
    },
  ];
  return {
    name: 'openai-responses',
    async text(model, prompt) {
      const r = await client.responses.create({ model, input: prompt, instructions: 'Be brief.' });
      return r.output_text;
    },
    async stream(model, prompt) {
      const s = await client.responses.create({ model, input: prompt, stream: true });
      let text = '';
      let chunks = 0;
      for await (const event of s) {
        if (event.type === 'response.output_text.delta') {
          chunks++;
          text += event.delta;
        }
      }
      return { text, chunks };
    },
    async toolRoundTrip(model) {
      const input: OpenAI.Responses.ResponseInput = [{ role: 'user', content: 'Weather in Paris?' }];
      const first = await client.responses.create({ model, input, tools });
      const call = first.output.find((item) => item.type === 'function_call');
      if (call?.type !== 'function_call') throw new Error('no tool call');
      input.push(call, { type: 'function_call_output', call_id: call.call_id, output: 'sunny, 21C' });
      const second = await client.responses.create({ model, input, tools });
      return { call: { name: call.name, args: JSON.parse(call.arguments) }, answer: second.output_text };
    },
    async streamedToolCalls(model) {
      const s = client.responses.stream({ model, input: 'Weather in Paris and Tokyo, in parallel?', tools });
      const final = await s.finalResponse();
      return final.output
        .filter((item) => item.type === 'function_call')
        .map((item) =>
          item.type === 'function_call'
            ? { name: item.name, args: JSON.parse(item.arguments) }
            : { name: '', args: null },
        );
    },
  };
}

export function anthropicDriver(baseUrl: string, apiKey: string): ClientDriver {
  const client = new Anthropic({ baseURL: baseUrl, apiKey, maxRetries: 0 });
  const tools: Anthropic.Tool[] = [
    { name: 'get_weather', description: 'Weather for a city', input_schema: weatherSchema },
  ];
  const textOf = (content: Anthropic.ContentBlock[]) =>
    content.map((b) => (b.type === 'text' ? b.text : '')).join('');
  return {
    name: 'claude',
    async text(model, prompt) {
      const r = await client.messages.create({
        model,
        max_tokens: 256,
        system: 'Be brief.',
        messages: [{ role: 'user', content: prompt }],
      });
      return textOf(r.content);
    },
    async stream(model, prompt) {
      const s = client.messages.stream({
        model,
        max_tokens: 256,
        messages: [{ role: 'user', content: prompt }],
      });
      let chunks = 0;
      s.on('text', () => {
        chunks++;
      });
      const final = await s.finalMessage();
      return { text: textOf(final.content), chunks };
    },
    async toolRoundTrip(model) {
      const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
      const first = await client.messages.create({ model, max_tokens: 256, messages, tools });
      const call = first.content.find((b) => b.type === 'tool_use');
      if (call?.type !== 'tool_use') throw new Error('no tool call');
      messages.push(
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'sunny, 21C' }] },
      );
      const second = await client.messages.create({ model, max_tokens: 256, messages, tools });
      return { call: { name: call.name, args: call.input }, answer: textOf(second.content) };
    },
    async streamedToolCalls(model) {
      const final = await client.messages
        .stream({
          model,
          max_tokens: 256,
          messages: [{ role: 'user', content: 'Weather in Paris and Tokyo, in parallel?' }],
          tools,
        })
        .finalMessage();
      return final.content
        .filter((b) => b.type === 'tool_use')
        .map((b) => (b.type === 'tool_use' ? { name: b.name, args: b.input } : { name: '', args: null }));
    },
  };
}

export function geminiDriver(baseUrl: string, apiKey: string): ClientDriver {
  const ai = new GoogleGenAI({ apiKey, httpOptions: { baseUrl } });
  const tools = [
    {
      functionDeclarations: [
        {
          name: 'get_weather',
          description: 'Weather for a city',
          parametersJsonSchema: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
          },
        },
      ],
    },
  ];
  return {
    name: 'gemini',
    async text(model, prompt) {
      const r = await ai.models.generateContent({
        model,
        contents: prompt,
        config: { systemInstruction: 'Be brief.' },
      });
      return r.text ?? '';
    },
    async stream(model, prompt) {
      const s = await ai.models.generateContentStream({ model, contents: prompt });
      let text = '';
      let chunks = 0;
      for await (const chunk of s) {
        chunks++;
        text += chunk.text ?? '';
      }
      return { text, chunks };
    },
    async toolRoundTrip(model) {
      const contents = [{ role: 'user', parts: [{ text: 'Weather in Paris?' }] }];
      const first = await ai.models.generateContent({ model, contents, config: { tools } });
      const call = first.functionCalls?.[0];
      if (!call?.name) throw new Error('no tool call');
      const modelTurn = first.candidates?.[0]?.content;
      const second = await ai.models.generateContent({
        model,
        contents: [
          ...contents,
          modelTurn ?? { role: 'model', parts: [{ functionCall: call }] },
          {
            role: 'user',
            parts: [{ functionResponse: { name: call.name, response: { output: 'sunny, 21C' } } }],
          },
        ],
        config: { tools },
      });
      return { call: { name: call.name, args: call.args }, answer: second.text ?? '' };
    },
    async streamedToolCalls(model) {
      const s = await ai.models.generateContentStream({
        model,
        contents: 'Weather in Paris and Tokyo, in parallel?',
        config: { tools },
      });
      const calls: Array<{ name: string; args: unknown }> = [];
      for await (const chunk of s)
        for (const c of chunk.functionCalls ?? []) calls.push({ name: c.name ?? '', args: c.args });
      return calls;
    },
  };
}
