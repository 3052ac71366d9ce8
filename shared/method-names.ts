/**
 * The contract's method names without their schemas, so the Electron preload can build `window.api`
 * without bundling zod. contract.ts checks its `methods` against this list at compile time.
 */
export const METHOD_NAMES = [
  'getState',
  'setProviderEnabled',
  'setProviderPriority',
  'checkProviderHealth',
  'endCooldowns',
  'startLogin',
  'getLogin',
  'cancelLogin',
  'removeAccount',
  'importKiroToken',
  'listAccountProjects',
  'setAccountProject',
  'getConfigText',
  'validateConfig',
  'saveConfigText',
  'queryUsage',
  'queryRequests',
  'getRequestBodies',
  'setRunning',
  'addProvider',
  'addSubscription',
  'removeProvider',
  'setModel',
  'getTools',
  'connectTool',
  'undoConnectTool',
  'getPrefs',
  'setPrefs',
  'setUsageRetention',
  'setLogBodies',
  'getClientKey',
  'quitApp',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];
export const CHANNEL_PREFIX = 'cliproxy:';
export const channelOf = (method: MethodName) => `${CHANNEL_PREFIX}${method}`;
