import { setFlagsFromString } from 'node:v8';

const taken = new Map<string, boolean>();

/**
 * Sets one V8 flag for this process, once. Returns whether the runtime took it (an embedder may
 * refuse flags at run time).
 */
export function setV8FlagOnce(flag: string): boolean {
  let result = taken.get(flag);
  if (result === undefined) {
    try {
      setFlagsFromString(flag);
      result = true;
    } catch {
      result = false;
    }
    taken.set(flag, result);
  }
  return result;
}
