import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/loader';
import type { ProviderConfig } from '../config/schema';
import { createLogger, Redactor } from '../log';
import { accountProjects, listGcpProjects, setAccountProject } from './gcp-projects';
import { AuthManager } from './manager';
import { AccountStore } from './store';

/** Cloud Resource Manager's projects.list as Google answers it: pages, lifecycle states, errors. */
let server: Server;
let url: string;
const seen: IncomingMessage[] = [];
const PAGES: Record<string, unknown> = {
  '': {
    projects: [
      { projectId: 'zeta-project', name: 'Zeta', lifecycleState: 'ACTIVE' },
      { projectId: 'gone-project', name: 'Gone', lifecycleState: 'DELETE_REQUESTED' },
    ],
    nextPageToken: 'p2',
  },
  p2: { projects: [{ projectId: 'alpha-project', name: '', lifecycleState: 'ACTIVE' }] },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req);
    if (req.headers.authorization !== 'Bearer ya29.good') {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { code: 401, message: 'Request had invalid authentication credentials.' } }),
      );
      return;
    }
    const page = new URL(req.url ?? '/', 'http://x').searchParams.get('pageToken') ?? '';
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(PAGES[page] ?? {}));
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/projects`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('listGcpProjects', () => {
  it('follows the pages, keeps the active projects, sorted, named by id when unnamed', async () => {
    expect(await listGcpProjects(url, 'ya29.good')).toEqual([
      { id: 'alpha-project', name: 'alpha-project' },
      { id: 'zeta-project', name: 'Zeta' },
    ]);
    expect(seen.at(-1)?.url).toBe('/v1/projects?pageToken=p2');
  });

  it('says what Google answered, never the token', async () => {
    const failure = listGcpProjects(url, 'ya29.expired');
    await expect(failure).rejects.toThrow(
      'Google Cloud answered HTTP 401 listing projects: Request had invalid authentication credentials.',
    );
    await expect(failure).rejects.not.toThrow(/ya29/);
  });
});

describe('a Gemini CLI account picking its project', () => {
  let dir: string;
  let auth: AuthManager;
  let providers: ProviderConfig[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cliproxy-projects-'));
    const parsed = parseConfigText(`providers:
  - {name: gem, type: gemini_cli, auth_type: oauth, oauth: {projects_url: "${url}"}}
  - {name: gem-fixed, type: gemini_cli, auth_type: oauth, project_id: fixed-project, oauth: {projects_url: "${url}"}}
  - {name: claude-sub, type: claude, auth_type: oauth}
`);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    providers = parsed.config.providers;
    const store = new AccountStore(join(dir, 'auths'));
    await store.load();
    auth = new AuthManager({
      store,
      providers: () => providers,
      logger: createLogger({ redactor: new Redactor(), write: () => undefined }),
    });
    const account = (id: string, provider: string, type: 'gemini_cli' | 'claude') => ({
      id,
      provider,
      type,
      identity: `${id}@example.com`,
      status: 'active' as const,
      tokens: { access_token: 'ya29.good' },
      metadata: { project_id: 'zeta-project' },
      created_at: 1,
      updated_at: 1,
    });
    await store.save(account('g1', 'gem', 'gemini_cli'));
    await store.save(account('g2', 'gem-fixed', 'gemini_cli'));
    await store.save(account('c1', 'claude-sub', 'claude'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lists the projects with the one in use, and switches to another', async () => {
    expect(await accountProjects(auth, 'g1')).toEqual({
      projects: [
        { id: 'alpha-project', name: 'alpha-project' },
        { id: 'zeta-project', name: 'Zeta' },
      ],
      current: 'zeta-project',
      fixedByConfig: null,
    });
    const view = await setAccountProject(auth, 'g1', 'alpha-project');
    expect(view.metadata.project_id).toBe('alpha-project');
    expect(auth.account('g1')?.metadata.project_id).toBe('alpha-project');
  });

  it("says when the provider entry's project_id wins over the account's", async () => {
    expect(await accountProjects(auth, 'g2')).toMatchObject({
      current: 'fixed-project',
      fixedByConfig: 'fixed-project',
    });
  });

  it('refuses other account types, unknown accounts and malformed project ids', async () => {
    await expect(accountProjects(auth, 'c1')).rejects.toThrow(
      'only Gemini CLI accounts run in a Google Cloud project',
    );
    await expect(accountProjects(auth, 'nope')).rejects.toThrow('no account nope');
    await expect(setAccountProject(auth, 'g1', 'Bad Project!')).rejects.toThrow(
      '"Bad Project!" is not a Google Cloud project id',
    );
    expect(auth.account('g1')?.metadata.project_id).toBe('alpha-project');
  });
});
