import { requestVia } from '../engine/upstream/http';
import type { AccountView } from './account';
import type { AuthManager } from './manager';

/** Cloud Resource Manager's project list (v1), which the Gemini CLI scope `cloud-platform` may read. */
export const GCP_PROJECTS_URL = 'https://cloudresourcemanager.googleapis.com/v1/projects';

/** A Google Cloud project id: 6–30 lowercase letters, digits and hyphens, starting with a letter. */
export const GCP_PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

export interface GcpProject {
  id: string;
  name: string;
}

const MAX_PAGES = 10;

/** The active projects the signed-in Google account can see, sorted by id. */
export async function listGcpProjects(url: string, token: string, proxyUrl?: string): Promise<GcpProject[]> {
  const projects: GcpProject[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const pageUrl = new URL(url);
    if (pageToken) pageUrl.searchParams.set('pageToken', pageToken);
    const response = await requestVia(proxyUrl, pageUrl, {
      method: 'GET',
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    const text = await response.body.text();
    if (response.statusCode >= 400)
      throw new Error(
        `Google Cloud answered HTTP ${response.statusCode} listing projects: ${errorMessage(text)}`,
      );
    const body = JSON.parse(text) as { projects?: unknown; nextPageToken?: unknown };
    for (const raw of Array.isArray(body.projects) ? body.projects : []) {
      const { projectId, name, lifecycleState } = (raw ?? {}) as Record<string, unknown>;
      if (typeof projectId !== 'string' || (lifecycleState !== undefined && lifecycleState !== 'ACTIVE'))
        continue;
      projects.push({ id: projectId, name: typeof name === 'string' && name ? name : projectId });
    }
    pageToken = typeof body.nextPageToken === 'string' && body.nextPageToken ? body.nextPageToken : undefined;
    if (!pageToken) break;
  }
  return projects.sort((a, b) => a.id.localeCompare(b.id));
}

/** Google's `{error: {message}}`, else the start of the text. */
function errorMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON
  }
  return text.slice(0, 200) || 'no message';
}

export interface AccountProjects {
  projects: GcpProject[];
  /** The project the account's requests carry now. */
  current: string | null;
  /** Set when the provider entry's `project_id` overrides every account's choice. */
  fixedByConfig: string | null;
}

function geminiAccount(auth: AuthManager, id: string) {
  const account = auth.account(id);
  if (!account) throw new Error(`no account ${id}`);
  const provider = auth.providerOf(account);
  if (provider?.type !== 'gemini_cli')
    throw new Error('only Gemini CLI accounts run in a Google Cloud project');
  return { account, provider };
}

/** The projects a Gemini CLI account may use, and which one it uses now. */
export async function accountProjects(auth: AuthManager, id: string): Promise<AccountProjects> {
  const { account, provider } = geminiAccount(auth, id);
  const projects = await listGcpProjects(
    provider.oauth?.projects_url ?? GCP_PROJECTS_URL,
    await auth.accessToken(id),
    auth.egressFor(provider),
  );
  return {
    projects,
    current: provider.project_id ?? account.metadata.project_id ?? null,
    fixedByConfig: provider.project_id ?? null,
  };
}

/** Points a Gemini CLI account's requests at another of its projects. */
export async function setAccountProject(
  auth: AuthManager,
  id: string,
  project: string,
): Promise<AccountView> {
  geminiAccount(auth, id);
  if (!GCP_PROJECT_ID.test(project))
    throw new Error(`${JSON.stringify(project)} is not a Google Cloud project id`);
  return auth.setMetadata(id, { project_id: project });
}
