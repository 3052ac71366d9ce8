import { type DesktopBridge, isErrorEnvelope, METHOD_NAMES } from '../../../shared/bridge';
import type { Api, MethodName } from '../../../shared/contract';
import { requestsCsvThroughContract, saveAs } from './csv-export';
import { type Bridge, BridgeError, type BridgeErrorCode } from './types';

/** Wraps the preload's `window.api`: envelopes become thrown errors, the connection is always open. */
export function createElectronBridge(raw: DesktopBridge): Bridge {
  const calls = {} as Record<MethodName, (input: unknown) => Promise<unknown>>;
  for (const name of METHOD_NAMES) {
    calls[name] = async (input: unknown) => {
      const answer = await (raw[name] as (input: unknown) => Promise<unknown>)(input ?? {});
      if (isErrorEnvelope(answer))
        throw new BridgeError(answer.error.message, answer.error.code as BridgeErrorCode);
      return answer;
    };
  }
  const api = calls as unknown as Api;
  return {
    ...api,
    transport: 'electron',
    async downloadRequestsCsv() {
      const csv = await requestsCsvThroughContract(api.queryRequests);
      saveAs(new Blob([csv], { type: 'text/csv;charset=utf-8' }), 'cliproxy-requests.csv');
    },
    on: (event, listener) => raw.on(event, listener),
    onConnection(listener) {
      listener({ kind: 'open' });
      return () => undefined;
    },
    close: () => undefined,
  };
}
