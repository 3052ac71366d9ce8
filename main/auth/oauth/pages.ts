function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page the browser shows after the loopback callback; it links back into the app. */
export function resultPage(provider: string, ok: boolean, error?: string): string {
  const back = `cliproxy://login/done?provider=${encodeURIComponent(provider)}`;
  const title = ok ? 'Signed in' : 'Sign-in failed';
  const body = ok
    ? `<p>CLIProxy++ is signed in to <b>${escapeHtml(provider)}</b>. You can close this window.</p>`
    : `<p>CLIProxy++ could not sign in to <b>${escapeHtml(provider)}</b>: ${escapeHtml(error ?? 'unknown error')}</p><p>Close this window and try again from the app.</p>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} — CLIProxy++</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}a{color:#2563eb}</style></head>
<body><h1>${title}</h1>${body}<p><a href="${back}">Return to CLIProxy++</a></p></body></html>`;
}
