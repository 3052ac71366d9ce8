// A client whose base URL is missing `/v1`, or has it while the client adds its own, calls a path
// one segment off. Such a 404 says which path was meant and how to fix the base URL, rather than
// guessing and serving it: the fix is one setting, and a guess could route to the wrong API.

/** The inbound API paths a base-URL slip most often misses (Gemini's are under /v1beta/models/…). */
const API_PATHS = ['/chat/completions', '/responses', '/messages', '/messages/count_tokens', '/models'];

export interface PathHint {
  /** The path the client most likely meant. */
  path: string;
  /** What to change in the client's settings. */
  fix: string;
}

export function pathHint(path: string): PathHint | undefined {
  if (path.startsWith('/v1/v1/') || path.startsWith('/v1beta/v1beta/')) {
    const prefix = path.startsWith('/v1/') ? '/v1' : '/v1beta';
    return {
      path: path.slice(prefix.length),
      fix: `the client adds ${prefix} itself, so remove ${prefix} from the end of its base URL`,
    };
  }
  if (API_PATHS.includes(path))
    return { path: `/v1${path}`, fix: 'add /v1 to the end of the client’s base URL' };
  if (/^\/models\/[^/]+:[A-Za-z]+$/.test(path))
    return { path: `/v1beta${path}`, fix: 'add /v1beta to the end of the client’s base URL' };
  return undefined;
}
