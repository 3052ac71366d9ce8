// Preload for Portkey's gateway (`node --import ./bench/portkey-mutable-headers.mjs …`).
// Portkey 1.15 appends x-portkey-* headers to the upstream's fetch Response; with the
// @hono/node-server this lockfile resolves (> 1.14.2) that Response keeps fetch's immutable headers
// and every streaming call fails with "TypeError: immutable" (Portkey-AI/gateway#1389, #1550).
// Re-wrapping each fetch answer in a Response with ordinary (mutable) headers is the smallest
// workaround: one extra object per request, the body stream is passed through untouched.
const NativeResponse = globalThis.Response;
const nativeFetch = globalThis.fetch;

globalThis.fetch = async function fetchWithMutableHeaders(...args) {
  const answer = await nativeFetch(...args);
  return new NativeResponse(answer.body, {
    status: answer.status,
    statusText: answer.statusText,
    headers: new Headers(answer.headers),
  });
};
