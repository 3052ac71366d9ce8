import { setFlagsFromString } from 'node:v8';

/**
 * Sets one V8 flag for this process. Returns whether the runtime took it (an embedder may refuse
 * flags at run time). Setting the same flag again changes nothing.
 */
export function setV8Flag(flag: string): boolean {
  try {
    setFlagsFromString(flag);
    return true;
  } catch {
    return false;
  }
}
