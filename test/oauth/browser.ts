/**
 * Plays the user's browser against the test OAuth server's dev pages: follows redirects with a
 * cookie jar and submits each form it meets (login name, user code, confirm) until it leaves the
 * server — typically by landing on the app's loopback callback, which it then visits.
 */
export class FakeBrowser {
  private readonly cookies = new Map<string, string>();
  readonly visited: string[] = [];

  constructor(
    private readonly user = 'ada',
    private readonly fields: Record<string, string> = {},
  ) {}

  private cookieHeader(): string {
    return [...this.cookies.entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair?.indexOf('=') ?? -1;
      if (pair && at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }

  /** Visits a URL and keeps going until a page without a form; returns the final response text. */
  async run(url: string, maxSteps = 25): Promise<{ url: string; status: number; body: string }> {
    let next: { url: string; init: RequestInit } | undefined = { url, init: { method: 'GET' } };
    for (let step = 0; step < maxSteps && next; step++) {
      this.visited.push(next.url);
      const res: Response = await fetch(next.url, {
        ...next.init,
        redirect: 'manual',
        headers: { ...(next.init.headers as Record<string, string>), cookie: this.cookieHeader() },
      });
      this.remember(res);
      const body = await res.text();
      const location: string | null = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        const target = new URL(location, next.url);
        // A custom scheme (cliproxy://…) is the OS's to hand to the app: the browser stops there.
        if (!/^https?:$/.test(target.protocol)) return { url: target.toString(), status: res.status, body };
        next = { url: target.toString(), init: { method: 'GET' } };
        continue;
      }
      const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(body);
      if (!form || res.status >= 400) return { url: next.url, status: res.status, body };
      next = { url: new URL(form[1] ?? '', next.url).toString(), init: this.submission(form[2] ?? '') };
    }
    throw new Error(`the browser did not finish after ${maxSteps} steps: ${this.visited.join(' → ')}`);
  }

  private submission(formHtml: string): RequestInit {
    const params = new URLSearchParams();
    for (const input of formHtml.matchAll(/<input([^>]*)>/gi)) {
      const attrs = input[1] ?? '';
      const name = /name="([^"]+)"/.exec(attrs)?.[1];
      if (!name) continue;
      const value = /value="([^"]*)"/.exec(attrs)?.[1] ?? '';
      if (name === 'login') params.set(name, this.user);
      else if (name === 'password') params.set(name, 'any');
      else params.set(name, this.fields[name] ?? value);
    }
    for (const button of formHtml.matchAll(/<button([^>]*)>/gi)) {
      const attrs = button[1] ?? '';
      const name = /name="([^"]+)"/.exec(attrs)?.[1];
      if (name) params.set(name, /value="([^"]*)"/.exec(attrs)?.[1] ?? '');
    }
    return {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: params.toString(),
    };
  }
}
