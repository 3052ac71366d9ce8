/**
 * GitHub's OAuth token endpoint answers errors (authorization_pending, slow_down...) with HTTP 200
 * and an `error` field. Standards-true clients read a 200 as success, so this fetch turns those
 * answers into the 400 that RFC 6749 prescribes before the OAuth library sees them.
 */
export function githubFetchVia(base: typeof fetch): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('accept', 'application/json');
    return normalize(await base(input, { ...init, headers }));
  };
}

export const githubFetch: typeof fetch = githubFetchVia((input, init) => fetch(input, init));

async function normalize(response: Response): Promise<Response> {
  if (response.status !== 200) return response;
  const text = await response.text();
  let error: unknown;
  try {
    error = (JSON.parse(text) as { error?: unknown }).error;
  } catch {
    error = undefined;
  }
  const rebuilt = new Headers(response.headers);
  rebuilt.delete('content-length');
  rebuilt.delete('content-encoding');
  return new Response(text, { status: typeof error === 'string' ? 400 : 200, headers: rebuilt });
}
