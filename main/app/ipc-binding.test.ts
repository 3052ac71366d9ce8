import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../shared/bridge';
import { type Api, channelOf, type MethodName } from '../../shared/contract';
import { bindContract, type IpcMainLike, isTrustedFrameUrl } from './ipc-binding';

const RENDERER = 'file:///opt/CLIProxy++/resources/app.asar/dist/renderer/index.html';

function fakeIpc() {
  const handlers = new Map<
    string,
    (event: { senderFrame: { url: string } | null }, payload: unknown) => unknown
  >();
  const ipc: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
  const call = (method: string, payload: unknown, url: string | null = `${RENDERER}#/usage`) =>
    handlers.get(`cliproxy:${method}`)?.({ senderFrame: url === null ? null : { url } }, payload);
  return { ipc, handlers, call };
}

function recordingApi() {
  const calls: Array<[string, unknown]> = [];
  const api = Object.fromEntries(
    METHOD_NAMES.map((method) => [
      method,
      async (input: unknown) => {
        calls.push([method, input]);
        return { answered: method };
      },
    ]),
  ) as unknown as Api;
  return { api, calls };
}

const VALID: Record<MethodName, unknown> = {
  getState: {},
  setProviderEnabled: { provider: 'openai', enabled: false },
  setProviderPriority: { provider: 'openai', priority: 1 },
  checkProviderHealth: { provider: 'openai' },
  endCooldowns: { account: 'openai' },
  startLogin: { provider: 'claude' },
  getLogin: { id: 'l1' },
  cancelLogin: { id: 'l1' },
  removeAccount: { id: 'a1' },
  importKiroToken: { provider: 'kiro', text: '{}' },
  listAccountProjects: { id: 'a1' },
  setAccountProject: { id: 'a1', project: 'my-project-1' },
  getConfigText: {},
  validateConfig: { text: 'port: 1' },
  saveConfigText: { text: 'port: 1' },
  queryUsage: { from: 0, to: 1, bucket: 'hour' },
  queryRequests: { limit: 10 },
  getRequestBodies: { id: 'r1' },
  setRunning: { running: false },
  addProvider: {
    name: 'or',
    type: 'openai_compatible',
    api_key: 'k',
    endpoint: 'https://openrouter.ai/api/v1',
    models: [],
  },
  addSubscription: { name: 'claude-max', type: 'claude' },
  removeProvider: { provider: 'or' },
  setModel: { provider: 'or', model: 'm', enabled: false },
  getTools: {},
  connectTool: { tool: 'codex' },
  undoConnectTool: { tool: 'codex' },
  getPrefs: {},
  setPrefs: { theme: 'dark' },
  setUsageRetention: { days: 30 },
  setLogBodies: { enabled: false },
  getClientKey: {},
  quitApp: {},
};

const INVALID: Partial<Record<MethodName, unknown>> = {
  setProviderEnabled: { provider: 'openai', enabled: 'no' },
  startLogin: { provider: '' },
  getLogin: {},
  validateConfig: { text: 42 },
  queryUsage: { from: 0, to: 1, bucket: 'week' },
  queryRequests: { limit: 100_000 },
  setRunning: { running: 'yes' },
  setPrefs: { theme: 'neon' },
  addProvider: { name: 'or', type: 'openai_compatible', api_key: 'k', models: [] },
  addSubscription: { name: 'claude-max', type: 'openai' },
  connectTool: { tool: 'vim' },
};

describe('bindContract', () => {
  it('binds one channel per contract method and each reaches its handler', async () => {
    const { ipc, handlers, call } = fakeIpc();
    const { api, calls } = recordingApi();
    bindContract(ipc, api, (url) => isTrustedFrameUrl(url, RENDERER));
    expect([...handlers.keys()].sort()).toEqual(METHOD_NAMES.map(channelOf).sort());
    for (const method of METHOD_NAMES) {
      expect(await call(method, VALID[method]), method).toEqual({ answered: method });
    }
    expect(calls.map(([m]) => m)).toEqual(METHOD_NAMES);
  });

  it('rejects invalid payloads with an invalid_input envelope and never calls the handler', async () => {
    const { ipc, call } = fakeIpc();
    const { api, calls } = recordingApi();
    bindContract(ipc, api, (url) => isTrustedFrameUrl(url, RENDERER));
    for (const [method, payload] of Object.entries(INVALID)) {
      expect(await call(method, payload), method).toMatchObject({ error: { code: 'invalid_input' } });
    }
    expect(calls).toEqual([]);
  });

  it('refuses frames that are not our renderer', async () => {
    const { ipc, call } = fakeIpc();
    const { api, calls } = recordingApi();
    bindContract(ipc, api, (url) => isTrustedFrameUrl(url, RENDERER));
    for (const url of [null, 'https://evil.example/index.html', 'file:///tmp/index.html', 'about:blank']) {
      expect(await call('getState', {}, url)).toMatchObject({ error: { code: 'forbidden' } });
    }
    expect(calls).toEqual([]);
  });

  it('turns a failing handler into a failed envelope', async () => {
    const { ipc, call } = fakeIpc();
    const { api } = recordingApi();
    api.removeAccount = async () => {
      throw new Error('no such account');
    };
    bindContract(ipc, api, () => true);
    expect(await call('removeAccount', { id: 'x' })).toEqual({
      error: { message: 'no such account', code: 'failed' },
    });
  });

  it('unbinds every channel', () => {
    const { ipc, handlers } = fakeIpc();
    const unbind = bindContract(ipc, recordingApi().api, () => true);
    unbind();
    expect(handlers.size).toBe(0);
  });
});

describe('isTrustedFrameUrl', () => {
  it('accepts our index.html with any hash route and nothing else', () => {
    expect(isTrustedFrameUrl(`${RENDERER}#/config`, RENDERER)).toBe(true);
    expect(isTrustedFrameUrl(`${RENDERER}?x=1`, RENDERER)).toBe(true);
    expect(isTrustedFrameUrl(RENDERER.replace('index.html', 'other.html'), RENDERER)).toBe(false);
    expect(isTrustedFrameUrl('http://localhost:5173/', 'http://localhost:5173/')).toBe(true);
    expect(isTrustedFrameUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isTrustedFrameUrl('not a url', RENDERER)).toBe(false);
    expect(isTrustedFrameUrl(undefined, RENDERER)).toBe(false);
  });
});
