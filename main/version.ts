/** Replaced at build time by the bundler; the fallback serves tests run from source. */
declare const __CLIPROXY_VERSION__: string | undefined;
export const VERSION: string = typeof __CLIPROXY_VERSION__ === 'string' ? __CLIPROXY_VERSION__ : '0.0.0-dev';
