/**
 * The staff HTTP API. The session lives in an httpOnly cookie; the CSRF token from login / me is held
 * here in memory only (never in storage or URLs) and sent as `x-csrf-token` on every write.
 */
import type {
  SupervisorCasesResponse,
  TeamCasesResponse,
  AdminAgentRequest,
  AdminAgentView,
  AdminTeamRequest,
  AdminTeamView,
  AgentTarget,
  ApiErrorCode,
  CannedResponseView,
  CaseStatusRequest,
  CaseView,
  CreateCaseRequest,
  ChosenAgentState,
  ConferenceRequest,
  Language,
  Message,
  OfferView,
  SupervisorBoard,
  TeamView,
  TransferRequest,
  WrapUpRequest,
  ConversationDetailResponse,
  ConversationListResponse,
  ConversationView,
  CustomerContextResponse,
  StaffLoginChallengeResponse,
  StaffSessionResponse,
  StepUpResponse,
} from '@carechat/protocol/client';

/** A failed request. `code` is the server's stable code, or `network` when no response came back. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode | 'network' | 'unknown',
    message: string,
    /** The error's `details`, when the server sent any (e.g. `{ attemptsLeft }` for a wrong code). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface Transcript {
  blob: Blob;
  filename: string;
}

const JSON_HEADERS = { accept: 'application/json' };

/** Staff-side API client; one instance per page. */
export class ApiClient {
  private csrfToken: string | null = null;

  constructor(
    private readonly fetchImpl: FetchLike = (input, init) => fetch(input, init),
    private readonly baseUrl = '',
  ) {}

  /** GET /api/auth/me: the current session, or ApiError 401 when signed out. */
  async me(): Promise<StaffSessionResponse> {
    return this.remember(await this.request<StaffSessionResponse>('GET', '/api/auth/me'));
  }

  /**
   * POST /api/auth/login: step 1 of 2. The server answers a right password with a challenge for the
   * authenticator code (and, on first sign-in, the secret to set up); a session only comes from
   * loginCode(). A session answered here directly is still accepted.
   */
  async login(email: string, password: string): Promise<StaffSessionResponse | StaffLoginChallengeResponse> {
    const res = await this.request<StaffSessionResponse | StaffLoginChallengeResponse>('POST', '/api/auth/login', {
      email,
      password,
    });
    return 'mfaRequired' in res ? res : this.remember(res);
  }

  /** POST /api/auth/login/totp: step 2 of 2, the authenticator code for the challenge; opens the session. */
  async loginCode(challenge: string, code: string): Promise<StaffSessionResponse> {
    return this.remember(await this.request<StaffSessionResponse>('POST', '/api/auth/login/totp', { challenge, code }));
  }

  /** POST /api/auth/logout; forgets the CSRF token whatever the outcome. */
  async logout(): Promise<void> {
    try {
      await this.request<unknown>('POST', '/api/auth/logout', {});
    } finally {
      this.csrfToken = null;
    }
  }

  /** Drops the in-memory CSRF token (session ended elsewhere). */
  forget(): void {
    this.csrfToken = null;
  }

  setStatus(status: ChosenAgentState): Promise<unknown> {
    return this.request('PUT', '/api/agent/status', { status });
  }

  async list(view: 'waiting' | 'mine'): Promise<ConversationView[]> {
    const res = await this.request<ConversationListResponse>('GET', `/api/conversations?view=${view}`);
    return res.conversations;
  }

  get(id: string): Promise<ConversationDetailResponse> {
    return this.request('GET', `/api/conversations/${encodeURIComponent(id)}`);
  }

  /** The response shape is not pinned down by the protocol; callers read `conversation` if present. */
  accept(id: string): Promise<Partial<ConversationDetailResponse> | null> {
    return this.request('POST', `/api/conversations/${encodeURIComponent(id)}/accept`, {});
  }

  end(id: string): Promise<Partial<ConversationDetailResponse> | null> {
    return this.request('POST', `/api/conversations/${encodeURIComponent(id)}/end`, {});
  }

  /** GET /api/conversations/:id/context: the chat's cardmember, cards and recent activity (masked). */
  context(id: string): Promise<CustomerContextResponse> {
    return this.request('GET', `/api/conversations/${encodeURIComponent(id)}/context`);
  }

  /** POST /api/conversations/:id/stepup: "Verify customer" sends a prompt to the customer's registered device. */
  stepUp(id: string): Promise<StepUpResponse> {
    return this.request('POST', `/api/conversations/${encodeURIComponent(id)}/stepup`, { method: 'device' });
  }

  // ---------------------------------------------------------------- live operations

  /** GET /api/offers: the chats offered to this agent right now. */
  async offers(): Promise<OfferView[]> {
    return (await this.request<{ offers: OfferView[] }>('GET', '/api/offers')).offers;
  }

  acceptOffer(offerId: string): Promise<{ conversation: ConversationView }> {
    return this.request('POST', `/api/offers/${encodeURIComponent(offerId)}/accept`, {});
  }

  declineOffer(offerId: string): Promise<unknown> {
    return this.request('POST', `/api/offers/${encodeURIComponent(offerId)}/decline`, {});
  }

  async teams(): Promise<TeamView[]> {
    return (await this.request<{ teams: TeamView[] }>('GET', '/api/teams')).teams;
  }

  /** Transfer and conference targets (never admins, never the caller). */
  async agents(filter: { teamId?: string; language?: Language } = {}): Promise<AgentTarget[]> {
    const q = new URLSearchParams();
    if (filter.teamId) q.set('teamId', filter.teamId);
    if (filter.language) q.set('language', filter.language);
    const query = q.toString();
    return (await this.request<{ agents: AgentTarget[] }>('GET', `/api/agents${query ? `?${query}` : ''}`)).agents;
  }

  transfer(id: string, body: Partial<TransferRequest>): Promise<{ conversation: ConversationView }> {
    return this.request('POST', `${conv(id)}/transfer`, body);
  }

  conference(id: string, body: ConferenceRequest): Promise<{ offer: OfferView }> {
    return this.request('POST', `${conv(id)}/conference`, body);
  }

  leave(id: string): Promise<{ conversation: ConversationView }> {
    return this.request('POST', `${conv(id)}/leave`, {});
  }

  escalate(id: string, note: string): Promise<{ conversation: ConversationView }> {
    return this.request('POST', `${conv(id)}/escalate`, { note });
  }

  note(id: string, body: string): Promise<{ message: Message }> {
    return this.request('POST', `${conv(id)}/notes`, { body });
  }

  whisper(id: string, body: string): Promise<{ message: Message }> {
    return this.request('POST', `${conv(id)}/whisper`, { body });
  }

  monitor(id: string): Promise<ConversationDetailResponse> {
    return this.request('POST', `${conv(id)}/monitor`, {});
  }

  barge(id: string): Promise<{ conversation: ConversationView }> {
    return this.request('POST', `${conv(id)}/barge`, {});
  }

  wrapUp(id: string, body: WrapUpRequest): Promise<{ conversation: ConversationView }> {
    return this.request('POST', `${conv(id)}/wrap-up`, body);
  }

  async canned(id: string): Promise<CannedResponseView[]> {
    return (await this.request<{ responses: CannedResponseView[] }>('GET', `${conv(id)}/canned`)).responses;
  }

  board(): Promise<SupervisorBoard> {
    return this.request('GET', '/api/supervisor/board');
  }

  /** GET /api/supervisor/cases: the case deadlines of the supervisor's teams (docs/disputes.md). */
  async supervisorCases(): Promise<SupervisorCasesResponse['cases']> {
    return (await this.request<SupervisorCasesResponse>('GET', '/api/supervisor/cases')).cases;
  }

  /** GET /api/team/cases: open cases of the agent's teams with a deadline warning or breach still owed. */
  async teamCases(): Promise<TeamCasesResponse['cases']> {
    return (await this.request<TeamCasesResponse>('GET', '/api/team/cases')).cases;
  }

  // ---------------------------------------------------------------- cases (docs/cases.md)

  /** GET /api/conversations/:id/cases: the chat's cardmember's cases, the chat's own first. */
  async conversationCases(id: string): Promise<CaseView[]> {
    return (await this.request<{ cases: CaseView[] }>('GET', `${conv(id)}/cases`)).cases;
  }

  async createCase(body: CreateCaseRequest): Promise<CaseView> {
    return (await this.request<{ case: CaseView }>('POST', '/api/cases', body)).case;
  }

  async caseStatus(caseId: string, body: CaseStatusRequest): Promise<CaseView> {
    return (await this.request<{ case: CaseView }>('POST', `/api/cases/${encodeURIComponent(caseId)}/status`, body))
      .case;
  }

  /** POST /api/cases/:id/upload-links: a single-use upload link, also posted into the chat. */
  requestDocuments(caseId: string, body: { request?: string }): Promise<{ url: string; expiresAt: string }> {
    return this.request('POST', `/api/cases/${encodeURIComponent(caseId)}/upload-links`, body);
  }

  // ---------------------------------------------------------------- configuration (admins)

  async adminTeams(): Promise<AdminTeamView[]> {
    return (await this.request<{ teams: AdminTeamView[] }>('GET', '/api/admin/teams')).teams;
  }

  /** PUT /api/admin/teams/:id: creates the team or replaces its settings. */
  async putAdminTeam(id: string, body: AdminTeamRequest): Promise<AdminTeamView> {
    return (await this.request<{ team: AdminTeamView }>('PUT', `/api/admin/teams/${encodeURIComponent(id)}`, body))
      .team;
  }

  async adminAgents(): Promise<AdminAgentView[]> {
    return (await this.request<{ agents: AdminAgentView[] }>('GET', '/api/admin/agents')).agents;
  }

  async putAdminAgent(id: string, body: AdminAgentRequest): Promise<AdminAgentView> {
    return (await this.request<{ agent: AdminAgentView }>('PUT', `/api/admin/agents/${encodeURIComponent(id)}`, body))
      .agent;
  }

  async transcript(id: string): Promise<Transcript> {
    const res = await this.raw('GET', `/api/conversations/${encodeURIComponent(id)}/transcript`);
    const blob = await res.blob();
    return { blob, filename: filenameFrom(res.headers.get('content-disposition')) ?? `transcript-${id}.txt` };
  }

  private remember(session: StaffSessionResponse): StaffSessionResponse {
    this.csrfToken = session.csrfToken;
    return session;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.raw(method, path, body);
    if (res.status === 204) return null as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : null) as T;
  }

  private async raw(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { ...JSON_HEADERS };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    let res: Response;
    try {
      res = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers,
        credentials: 'same-origin',
        cache: 'no-store',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new ApiError(0, 'network', 'network error');
    }
    if (!res.ok) throw await toApiError(res);
    return res;
  }
}

function conv(id: string): string {
  return `/api/conversations/${encodeURIComponent(id)}`;
}

async function toApiError(res: Response): Promise<ApiError> {
  try {
    const data = (await res.json()) as { error?: { code?: string; message?: string; details?: unknown } };
    if (data?.error?.code) {
      return new ApiError(res.status, data.error.code as ApiErrorCode, data.error.message ?? '', data.error.details);
    }
  } catch {
    // not JSON: fall through to a status-based code
  }
  const byStatus: Record<number, ApiErrorCode> = {
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    429: 'rate_limited',
  };
  return new ApiError(res.status, byStatus[res.status] ?? 'unknown', res.statusText);
}

/** Reads `filename="..."` from a Content-Disposition header, keeping only safe characters. */
export function filenameFrom(header: string | null): string | null {
  if (!header) return null;
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
  if (!match?.[1]) return null;
  let name = match[1];
  try {
    name = decodeURIComponent(name);
  } catch {
    // keep as is
  }
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return safe || null;
}
