/**
 * A fake of the GitHub REST API's Deployments endpoints: a real HTTP server on 127.0.0.1 (random
 * port) that enforces what GitHub enforces, for every test that needs deployments.
 *
 * Start / stop:
 *   const github = await startFakeGitHubApi({ tokens: { "ghs_write": "write", "ghs_read": "read" }, repositories: ["acme/shop"] });
 *   github.url            // use as GITHUB_API_URL / Octokit baseUrl, e.g. http://127.0.0.1:41234
 *   await github.close()
 *
 * Endpoints (paths as on api.github.com):
 *   POST /repos/{owner}/{repo}/deployments                         201 deployment
 *   GET  /repos/{owner}/{repo}/deployments?environment&ref&sha&task&per_page&page
 *   GET  /repos/{owner}/{repo}/deployments/{id}
 *   POST /repos/{owner}/{repo}/deployments/{id}/statuses           201 status
 *   GET  /repos/{owner}/{repo}/deployments/{id}/statuses?per_page&page
 *
 * Rules it enforces, as GitHub does:
 *   - Auth: `Authorization: Bearer <t>` or `token <t>`. No header → 401 "Requires authentication";
 *     unknown token → 401 "Bad credentials"; both JSON with documentation_url. A "read" token
 *     writing → 403 "Resource not accessible by integration".
 *   - Unknown repository, deployment or route → 404 {"message":"Not Found",...}.
 *   - Lists are newest first (by id), `per_page` default 30 and at most 100, `page` from 1, with a
 *     `Link` header (rel="prev"/"next"/"last"/"first") whenever there is more than one page.
 *   - `payload` (object or JSON text) is stored and returned as given: an object stays an object,
 *     a string stays a string. `environment` defaults to "production"; `production_environment`
 *     defaults to true for "production". `ref` must be a branch/tag known to the repository (see
 *     `refs`) or a 40-hex SHA, else 422 "No ref found for: <ref>".
 *   - Shapes are validated: a missing `ref`/`state` or a wrong type → 422 "Invalid request.\n\n…";
 *     a bad `state` value → 422 listing the allowed ones; a description over 140 characters → 422
 *     "Validation Failed" with an `errors` array. A body that is not JSON → 400 "Problems parsing JSON".
 *   - `auto_inactive` (default true): a `success` status adds an `inactive` status to every older
 *     deployment of the same environment whose latest status is success, unless the deployment is
 *     transient or a production environment (GitHub does not do it there either).
 *   - Every answer carries x-ratelimit-* headers and x-github-request-id.
 *
 * Not modelled: commit statuses (required_contexts always pass), auto_merge (ignored), DELETE.
 *
 * Test controls:
 *   github.failWith("server-error" | "rate-limited", { times: 2 })  // next N requests answer 500, or
 *                                                                   // 403 rate limit with x-ratelimit-remaining 0
 *   github.failWith(null)           // answer normally again
 *   github.delayMs = 300            // answer every request this much later (timeout tests)
 *   github.requests                 // every request: method, path, query, authorization, body
 *   github.deployments("acme/shop") // stored deployments, newest first, each with its statuses
 *   github.tokensSeen               // tokens presented, for secret-handling assertions
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type TokenAccess = "read" | "write";
export type FailureMode = "server-error" | "rate-limited";

export interface FakeGitHubOptions {
  /** token → access. */
  tokens: Record<string, TokenAccess>;
  /** `owner/name` of each repository that exists. */
  repositories: string[];
  /** Branch or tag names every repository knows, with their SHAs. */
  refs?: Record<string, string>;
}

export interface FakeDeploymentStatus {
  id: number;
  state: string;
  description: string;
  environment: string;
  target_url: string;
  log_url: string;
  environment_url: string;
  created_at: string;
  updated_at: string;
}

export interface FakeDeployment {
  id: number;
  ref: string;
  sha: string;
  task: string;
  payload: unknown;
  environment: string;
  original_environment: string;
  description: string | null;
  transient_environment: boolean;
  production_environment: boolean;
  created_at: string;
  updated_at: string;
  statuses: FakeDeploymentStatus[];
}

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  body: string;
}

export interface FakeGitHubApi {
  url: string;
  requests: FakeRequest[];
  tokensSeen: Set<string>;
  delayMs: number;
  failWith(mode: FailureMode | null, options?: { times?: number }): void;
  deployments(repository: string): FakeDeployment[];
  close(): Promise<void>;
}

const DOCS = "https://docs.github.com/rest";
const STATES = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"];
const SHA = /^[0-9a-f]{40}$/i;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message));
  }
}

const notFound = (docs = DOCS) => new HttpError(404, { message: "Not Found", documentation_url: docs, status: "404" });
const invalid = (detail: string, docs: string) =>
  new HttpError(422, { message: `Invalid request.\n\n${detail}`, documentation_url: docs, status: "422" });

/** Starts the fake on 127.0.0.1 with a random free port. */
export async function startFakeGitHubApi(options: FakeGitHubOptions): Promise<FakeGitHubApi> {
  const repos = new Map<string, FakeDeployment[]>(options.repositories.map((name) => [name.toLowerCase(), []]));
  const refs = new Map(Object.entries(options.refs ?? {}));
  const requests: FakeRequest[] = [];
  const tokensSeen = new Set<string>();
  let nextDeploymentId = 1001;
  let nextStatusId = 5001;
  let failure: { mode: FailureMode; remaining: number } | null = null;
  let requestCount = 0;
  let baseUrl = "";

  const api: FakeGitHubApi = {
    url: "",
    requests,
    tokensSeen,
    delayMs: 0,
    failWith(mode, opts = {}) {
      failure = mode === null ? null : { mode, remaining: opts.times ?? Number.POSITIVE_INFINITY };
    },
    deployments(repository) {
      return [...(repos.get(repository.toLowerCase()) ?? [])].reverse();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  function authenticate(req: IncomingMessage, write: boolean): void {
    const header = req.headers.authorization;
    if (!header) {
      throw new HttpError(401, { message: "Requires authentication", documentation_url: DOCS, status: "401" });
    }
    const token = /^(?:bearer|token)\s+(\S+)$/i.exec(header.trim())?.[1];
    if (token) tokensSeen.add(token);
    const access = token ? options.tokens[token] : undefined;
    if (!access) throw new HttpError(401, { message: "Bad credentials", documentation_url: DOCS, status: "401" });
    if (write && access !== "write") {
      throw new HttpError(403, {
        message: "Resource not accessible by integration",
        documentation_url: `${DOCS}/deployments/deployments#create-a-deployment`,
        status: "403",
      });
    }
  }

  function pageParams(query: URLSearchParams): { perPage: number; page: number } {
    const perPageRaw = Number(query.get("per_page") ?? 30);
    const pageRaw = Number(query.get("page") ?? 1);
    const perPage = Number.isInteger(perPageRaw) && perPageRaw > 0 ? Math.min(100, perPageRaw) : 30;
    const page = Number.isInteger(pageRaw) && pageRaw > 0 ? pageRaw : 1;
    return { perPage, page };
  }

  function paginate<T>(items: T[], path: string, query: URLSearchParams): { slice: T[]; link?: string } {
    const { perPage, page } = pageParams(query);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    if (last === 1) return { slice };
    const at = (n: number) => {
      const q = new URLSearchParams(query);
      q.set("per_page", String(perPage));
      q.set("page", String(n));
      return `<${baseUrl}${path}?${q.toString()}>`;
    };
    const links: string[] = [];
    if (page > 1) links.push(`${at(Math.min(page - 1, last))}; rel="prev"`);
    if (page < last) links.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`);
    if (page > 1) links.push(`${at(1)}; rel="first"`);
    return { slice, link: links.join(", ") };
  }

  function renderDeployment(repo: string, d: FakeDeployment) {
    const repoUrl = `${baseUrl}/repos/${repo}`;
    return {
      url: `${repoUrl}/deployments/${d.id}`,
      id: d.id,
      node_id: `DE_kwDO${Buffer.from(String(d.id)).toString("base64")}`,
      task: d.task,
      original_environment: d.original_environment,
      environment: d.environment,
      description: d.description,
      created_at: d.created_at,
      updated_at: d.updated_at,
      statuses_url: `${repoUrl}/deployments/${d.id}/statuses`,
      repository_url: repoUrl,
      creator: { login: "github-actions[bot]", id: 41898282, type: "Bot" },
      sha: d.sha,
      ref: d.ref,
      payload: d.payload,
      transient_environment: d.transient_environment,
      production_environment: d.production_environment,
      performed_via_github_app: null,
    };
  }

  function renderStatus(repo: string, d: FakeDeployment, s: FakeDeploymentStatus) {
    const repoUrl = `${baseUrl}/repos/${repo}`;
    return {
      url: `${repoUrl}/deployments/${d.id}/statuses/${s.id}`,
      id: s.id,
      node_id: `DES_kwDO${Buffer.from(String(s.id)).toString("base64")}`,
      state: s.state,
      creator: { login: "github-actions[bot]", id: 41898282, type: "Bot" },
      description: s.description,
      environment: s.environment,
      target_url: s.target_url,
      created_at: s.created_at,
      updated_at: s.updated_at,
      deployment_url: `${repoUrl}/deployments/${d.id}`,
      repository_url: repoUrl,
      environment_url: s.environment_url,
      log_url: s.log_url,
      performed_via_github_app: null,
    };
  }

  function parseBody(body: string): Record<string, unknown> {
    let parsed: unknown;
    try {
      parsed = body.trim() === "" ? {} : JSON.parse(body);
    } catch {
      throw new HttpError(400, { message: "Problems parsing JSON", documentation_url: DOCS, status: "400" });
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw invalid(`For 'links/0/schema', ${JSON.stringify(parsed)} is not an object.`, DOCS);
    }
    return parsed as Record<string, unknown>;
  }

  function checkType(body: Record<string, unknown>, field: string, type: "string" | "boolean" | "array", docs: string, nullable = false) {
    const value = body[field];
    if (value === undefined || (nullable && value === null)) return;
    const ok = type === "array" ? Array.isArray(value) && value.every((v) => typeof v === "string") : typeof value === type;
    if (!ok)
      throw invalid(
        `For 'properties/${field}', ${JSON.stringify(value)} is not ${type === "array" ? "an array of strings" : `a ${type}`}.`,
        docs,
      );
  }

  function createDeployment(repo: string, body: Record<string, unknown>): FakeDeployment {
    const docs = `${DOCS}/deployments/deployments#create-a-deployment`;
    if (body.ref === undefined) throw invalid(`"ref" wasn't supplied.`, docs);
    for (const field of ["ref", "task", "environment"]) checkType(body, field, "string", docs);
    checkType(body, "description", "string", docs, true);
    for (const field of ["auto_merge", "transient_environment", "production_environment"]) checkType(body, field, "boolean", docs);
    checkType(body, "required_contexts", "array", docs);
    const payload = body.payload;
    if (
      payload !== undefined &&
      (payload === null || (typeof payload !== "object" && typeof payload !== "string") || Array.isArray(payload))
    ) {
      throw invalid(`For 'properties/payload', ${JSON.stringify(payload)} is not an object or a string.`, docs);
    }
    const ref = body.ref as string;
    const sha = SHA.test(ref) ? ref.toLowerCase() : refs.get(ref);
    if (!sha) throw new HttpError(422, { message: `No ref found for: ${ref}`, documentation_url: docs, status: "422" });
    const environment = (body.environment as string | undefined) ?? "production";
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    const deployment: FakeDeployment = {
      id: nextDeploymentId++,
      ref,
      sha,
      task: (body.task as string | undefined) ?? "deploy",
      payload: payload ?? {},
      environment,
      original_environment: environment,
      description: (body.description as string | null | undefined) ?? null,
      transient_environment: (body.transient_environment as boolean | undefined) ?? false,
      production_environment: (body.production_environment as boolean | undefined) ?? environment === "production",
      created_at: now,
      updated_at: now,
      statuses: [],
    };
    repos.get(repo)?.push(deployment);
    return deployment;
  }

  function createStatus(repo: string, deployment: FakeDeployment, body: Record<string, unknown>): FakeDeploymentStatus {
    const docs = `${DOCS}/deployments/statuses#create-a-deployment-status`;
    if (body.state === undefined) throw invalid(`"state" wasn't supplied.`, docs);
    if (typeof body.state !== "string" || !STATES.includes(body.state)) {
      throw invalid(`For 'properties/state', ${JSON.stringify(body.state)} is not one of ${JSON.stringify(STATES)}.`, docs);
    }
    for (const field of ["target_url", "log_url", "description", "environment", "environment_url"]) checkType(body, field, "string", docs);
    checkType(body, "auto_inactive", "boolean", docs);
    const description = (body.description as string | undefined) ?? "";
    if (description.length > 140) {
      throw new HttpError(422, {
        message: "Validation Failed",
        errors: [
          {
            resource: "DeploymentStatus",
            code: "custom",
            field: "description",
            message: "description is too long (maximum is 140 characters)",
          },
        ],
        documentation_url: docs,
        status: "422",
      });
    }
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    const logUrl = (body.log_url as string | undefined) ?? (body.target_url as string | undefined) ?? "";
    if (typeof body.environment === "string") deployment.environment = body.environment;
    const status: FakeDeploymentStatus = {
      id: nextStatusId++,
      state: body.state,
      description,
      environment: deployment.environment,
      target_url: logUrl,
      log_url: logUrl,
      environment_url: (body.environment_url as string | undefined) ?? "",
      created_at: now,
      updated_at: now,
    };
    deployment.statuses.push(status);
    deployment.updated_at = now;
    const autoInactive = (body.auto_inactive as boolean | undefined) ?? true;
    if (status.state === "success" && autoInactive && !deployment.transient_environment && !deployment.production_environment) {
      for (const other of repos.get(repo) ?? []) {
        if (other.id < deployment.id && other.environment === deployment.environment && other.statuses.at(-1)?.state === "success") {
          other.statuses.push({ ...status, id: nextStatusId++, state: "inactive", description: "" });
        }
      }
    }
    return status;
  }

  async function route(
    req: IncomingMessage,
    url: URL,
    body: string,
  ): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const method = req.method ?? "GET";
    const match = /^\/repos\/([^/]+)\/([^/]+)\/deployments(?:\/(\d+)(\/statuses)?)?\/?$/.exec(url.pathname);
    if (!match) {
      authenticate(req, false);
      throw notFound();
    }
    const [, owner, name, idText, statusesPart] = match as unknown as [string, string, string, string | undefined, string | undefined];
    const repo = `${owner}/${name}`.toLowerCase();
    const write = method === "POST";
    if (method !== "GET" && method !== "POST") {
      authenticate(req, false);
      throw notFound();
    }
    authenticate(req, write);
    const deployments = repos.get(repo);
    if (!deployments) throw notFound(`${DOCS}/deployments/deployments`);
    const repoName = `${owner}/${name}`;

    if (idText === undefined) {
      if (method === "POST") {
        const created = createDeployment(repo, parseBody(body));
        return { status: 201, body: renderDeployment(repoName, created) };
      }
      const q = url.searchParams;
      const filtered = [...deployments]
        .reverse()
        .filter(
          (d) =>
            (!q.get("environment") || d.environment === q.get("environment")) &&
            (!q.get("ref") || d.ref === q.get("ref")) &&
            (!q.get("sha") || d.sha === q.get("sha")) &&
            (!q.get("task") || d.task === q.get("task")),
        );
      const { slice, link } = paginate(filtered, url.pathname, q);
      return { status: 200, body: slice.map((d) => renderDeployment(repoName, d)), ...(link ? { headers: { link } } : {}) };
    }

    const deployment = deployments.find((d) => d.id === Number(idText));
    if (!deployment) throw notFound(`${DOCS}/deployments/deployments#get-a-deployment`);
    if (!statusesPart) {
      if (method === "POST") throw notFound();
      return { status: 200, body: renderDeployment(repoName, deployment) };
    }
    if (method === "POST") {
      const status = createStatus(repo, deployment, parseBody(body));
      return { status: 201, body: renderStatus(repoName, deployment, status) };
    }
    const { slice, link } = paginate([...deployment.statuses].reverse(), url.pathname, url.searchParams);
    return { status: 200, body: slice.map((s) => renderStatus(repoName, deployment, s)), ...(link ? { headers: { link } } : {}) };
  }

  function rateHeaders(remaining: number): Record<string, string> {
    return {
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": String(remaining),
      "x-ratelimit-used": String(5000 - remaining),
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      "x-ratelimit-resource": "core",
    };
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": String(Buffer.byteLength(text)),
      "x-github-request-id": `FAKE:${requestCount.toString(16).toUpperCase()}`,
      "x-github-api-version-selected": "2022-11-28",
      ...headers,
    });
    res.end(text);
  }

  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", async () => {
      requestCount++;
      const url = new URL(req.url ?? "/", baseUrl);
      requests.push({
        method: req.method ?? "",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        authorization: req.headers.authorization,
        body,
      });
      if (api.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, api.delayMs));
      if (res.destroyed) return;
      const remaining = Math.max(0, 5000 - requestCount);
      if (failure && failure.remaining > 0) {
        failure.remaining--;
        const mode = failure.mode;
        if (failure.remaining === 0) failure = null;
        if (mode === "server-error") {
          send(res, 500, { message: "Server Error" }, rateHeaders(remaining));
        } else {
          send(
            res,
            403,
            {
              message: "API rate limit exceeded for installation ID 1.",
              documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`,
              status: "403",
            },
            rateHeaders(0),
          );
        }
        return;
      }
      try {
        const answer = await route(req, url, body);
        send(res, answer.status, answer.body, { ...rateHeaders(remaining), ...answer.headers });
      } catch (error) {
        if (error instanceof HttpError) send(res, error.status, error.body, { ...rateHeaders(remaining), ...error.headers });
        else send(res, 500, { message: String(error) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  api.url = baseUrl;
  return api;
}
