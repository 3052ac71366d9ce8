/** Copyable setup for tools the dashboard cannot configure by itself. */
export interface Snippet {
  id: string;
  title: string;
  where: string;
  code: string;
}

export const KEY_PLACEHOLDER = '<your proxy key>';

/** The base URL each client family wants, from the engine's listening URL. */
export function endpointsOf(url: string) {
  return [
    { name: 'OpenAI-compatible', hint: 'OPENAI_BASE_URL', value: `${url}/v1` },
    { name: 'Anthropic', hint: 'ANTHROPIC_BASE_URL', value: url },
    { name: 'Gemini', hint: 'httpOptions.baseUrl', value: url },
  ];
}

export function snippetsFor(url: string, model: string): Snippet[] {
  const v1 = `${url}/v1`;
  return [
    {
      id: 'cursor',
      title: 'Cursor',
      where: 'Settings → Models → OpenAI API Key, then "Override OpenAI Base URL"',
      code: `OpenAI API Key:     ${KEY_PLACEHOLDER}\nOverride Base URL:  ${v1}\nModel:              ${model}`,
    },
    {
      id: 'cline',
      title: 'Cline',
      where: 'Settings → API Provider: "OpenAI Compatible"',
      code: `Base URL:  ${v1}\nAPI Key:   ${KEY_PLACEHOLDER}\nModel ID:  ${model}`,
    },
    {
      id: 'continue',
      title: 'Continue',
      where: '~/.continue/config.yaml',
      code: `models:\n  - name: CLIProxy++ ${model}\n    provider: openai\n    model: ${model}\n    apiBase: ${v1}\n    apiKey: ${KEY_PLACEHOLDER}`,
    },
    {
      id: 'aider',
      title: 'Aider',
      where: 'shell',
      code: `export OPENAI_API_BASE=${v1}\nexport OPENAI_API_KEY=${KEY_PLACEHOLDER}\naider --model openai/${model}`,
    },
    {
      id: 'openai-sdk',
      title: 'OpenAI SDK (Node / Python)',
      where: 'code',
      code: `import OpenAI from 'openai';\nconst client = new OpenAI({ baseURL: '${v1}', apiKey: '${KEY_PLACEHOLDER}' });\n\n# Python\nfrom openai import OpenAI\nclient = OpenAI(base_url="${v1}", api_key="${KEY_PLACEHOLDER}")`,
    },
    {
      id: 'anthropic-sdk',
      title: 'Anthropic SDK',
      where: 'code',
      code: `import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic({ baseURL: '${url}', apiKey: '${KEY_PLACEHOLDER}' });`,
    },
    {
      id: 'gemini-sdk',
      title: 'Gemini SDK',
      where: 'code',
      code: `import { GoogleGenAI } from '@google/genai';\nconst ai = new GoogleGenAI({ apiKey: '${KEY_PLACEHOLDER}', httpOptions: { baseUrl: '${url}' } });`,
    },
  ];
}
