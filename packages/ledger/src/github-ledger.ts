import { abortReason, retry } from "@cutover/core";
import { clampDescription, LedgerBase } from "./deployment-ledger.js";
import { DeploymentNotFoundError, LedgerApiError } from "./errors.js";
import { describeApiError, httpStatusOf, isRateLimited } from "./github-api-error.js";
import { pageOf, parseLinkHeader } from "./link-header.js";
import { payloadError } from "./payload-error.js";
import {
  assembleRecord,
  type DeploymentRecord,
  type LedgerPage,
  type ListOptions,
  normalizeState,
  type OpenDeployment,
  type StatusEntry,
  type StatusUpdate,
  storedPayload,
} from "./record.js";

/**
 * The one method the ledger needs from an Octokit: `request(route, parameters)`. In an action
 * that is @actions/github's `getOctokit(token, { baseUrl: GITHUB_API_URL })`; in tests, any
 * Octokit pointed at the fake API. The engine never imports @actions/* itself.
 */
export interface GitHubRequestClient {
  request(
    route: string,
    parameters?: Record<string, unknown>,
  ): Promise<{ status: number; headers: Record<string, string | number | undefined>; data: unknown }>;
}

export interface GitHubLedgerOptions {
  client: GitHubRequestClient;
  /** `owner/name` of the repository whose Deployments hold the ledger. */
  repository: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Extra attempts for reads and status writes after a 5xx, a timeout or a network error. */
  retries?: number;
  retryDelayMs?: number;
  signal?: AbortSignal;
}

interface ApiDeployment {
  id: number;
  ref: string;
  sha: string;
  environment: string;
  created_at: string;
  description?: string | null;
  payload: unknown;
}

interface ApiStatus {
  state: string;
  created_at: string;
  description?: string | null;
  environment_url?: string | null;
  log_url?: string | null;
  target_url?: string | null;
}

const SHA = /^[0-9a-f]{40}$/i;

/** The ledger as GitHub Deployments and Deployment Statuses of one repository. */
export class GitHubLedger extends LedgerBase {
  readonly where: string;
  private readonly owner: string;
  private readonly repo: string;

  constructor(private readonly options: GitHubLedgerOptions) {
    super();
    const [owner, repo, ...rest] = options.repository.split("/");
    if (!owner || !repo || rest.length > 0)
      throw new LedgerApiError(`'${options.repository}' is not an owner/name repository`, undefined, "");
    this.owner = owner;
    this.repo = repo;
    this.where = `GitHub Deployments of ${options.repository}`;
  }

  async open(request: OpenDeployment): Promise<DeploymentRecord> {
    let payload: Record<string, unknown>;
    try {
      payload = storedPayload(request.payload);
    } catch (error) {
      throw payloadError(error);
    }
    const sha = String(payload.sha);
    // Deploy the exact commit: a branch may have moved on since the build.
    const deployment = (await this.call(
      "POST /repos/{owner}/{repo}/deployments",
      {
        ref: SHA.test(sha) ? sha : String(payload.ref),
        environment: request.environment,
        payload,
        description: clampDescription(request.description ?? `cutover ${String(payload.version)}`),
        task: "deploy",
        // No merge of the default branch into ref, and no commit-status gate: cutover gates itself.
        auto_merge: false,
        required_contexts: [],
        transient_environment: false,
      },
      // A retried POST could create two deployments.
      { retry: false },
    )) as ApiDeployment;
    const status = await this.postStatus(deployment.id, {
      state: "in_progress",
      ...(request.environmentUrl ? { environmentUrl: request.environmentUrl } : {}),
      ...(request.logUrl ? { logUrl: request.logUrl } : {}),
    });
    return this.toRecord(deployment, [status]);
  }

  async update(id: number, update: StatusUpdate): Promise<DeploymentRecord> {
    const record = await this.get(id);
    if (update.state === "success") {
      const fromId = record.payload.rollback?.fromId;
      if (fromId !== undefined && fromId !== id) {
        const from = await this.get(fromId).catch((error: unknown) => {
          if (error instanceof DeploymentNotFoundError) return undefined;
          throw error;
        });
        if (from && from.state !== "failure") {
          await this.postStatus(fromId, {
            state: "failure",
            description: `rolled back by #${id}: ${record.payload.rollback?.reason ?? ""}`,
          });
        }
      }
    }
    await this.postStatus(id, update);
    if (update.state === "success") {
      // Explicit, because GitHub's auto_inactive skips production environments.
      for await (const other of this.history(record.environment)) {
        if (other.id === id || other.state !== "success") continue;
        await this.postStatus(other.id, { state: "inactive", description: `replaced by #${id}` });
        // At most one other deployment is live at a time; older ones were made inactive before.
        if (other.id < id) break;
      }
    }
    return this.get(id);
  }

  async get(id: number): Promise<DeploymentRecord> {
    let deployment: ApiDeployment;
    try {
      deployment = (await this.call("GET /repos/{owner}/{repo}/deployments/{deployment_id}", { deployment_id: id })) as ApiDeployment;
    } catch (error) {
      if (error instanceof LedgerApiError && error.status === 404) {
        // Tell an unknown deployment from an unknown repository.
        await this.call("GET /repos/{owner}/{repo}/deployments", { per_page: 1 });
        throw new DeploymentNotFoundError(id, this.where);
      }
      throw error;
    }
    return this.toRecord(deployment, await this.statuses(id));
  }

  async list(environment: string, options: ListOptions = {}): Promise<LedgerPage> {
    const { deployments, nextPage } = await this.listDeployments(environment, options);
    const records: DeploymentRecord[] = [];
    for (const deployment of deployments) records.push(this.toRecord(deployment, await this.statuses(deployment.id)));
    return { records, ...(nextPage ? { nextPage } : {}) };
  }

  /** Newest first; each deployment's statuses are fetched only when the walk reaches it. */
  override async *history(environment: string, options: { perPage?: number } = {}): AsyncIterable<DeploymentRecord> {
    let page: number | undefined = 1;
    while (page !== undefined) {
      const result: { deployments: ApiDeployment[]; nextPage?: number } = await this.listDeployments(environment, {
        perPage: options.perPage ?? 30,
        page,
      });
      for (const deployment of result.deployments) yield this.toRecord(deployment, await this.statuses(deployment.id));
      page = result.nextPage;
    }
  }

  private async listDeployments(environment: string, options: ListOptions): Promise<{ deployments: ApiDeployment[]; nextPage?: number }> {
    const response = await this.send("GET /repos/{owner}/{repo}/deployments", {
      environment,
      per_page: Math.min(100, Math.max(1, options.perPage ?? 30)),
      page: Math.max(1, options.page ?? 1),
    });
    const nextPage = pageOf(parseLinkHeader(String(response.headers.link ?? "")).next);
    const deployments = response.data as ApiDeployment[];
    // The environment filter is the server's; keep only exact matches in case a proxy ignored it.
    return { deployments: deployments.filter((d) => d.environment === environment), ...(nextPage ? { nextPage } : {}) };
  }

  private async statuses(id: number): Promise<StatusEntry[]> {
    const data = (await this.call("GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
      deployment_id: id,
      per_page: 100,
    })) as ApiStatus[];
    return data.map(toStatusEntry);
  }

  private async postStatus(id: number, update: StatusUpdate): Promise<StatusEntry> {
    const data = (await this.call("POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
      deployment_id: id,
      state: update.state,
      ...(update.description ? { description: clampDescription(update.description) } : {}),
      ...(update.environmentUrl ? { environment_url: update.environmentUrl } : {}),
      ...(update.logUrl ? { log_url: update.logUrl } : {}),
      auto_inactive: false,
    })) as ApiStatus;
    return toStatusEntry(data);
  }

  private toRecord(deployment: ApiDeployment, statuses: StatusEntry[]): DeploymentRecord {
    return assembleRecord({
      id: deployment.id,
      environment: deployment.environment,
      createdAt: deployment.created_at,
      description: deployment.description ?? null,
      rawPayload: deployment.payload,
      ref: deployment.ref,
      sha: deployment.sha,
      statuses,
    });
  }

  private async call(route: string, parameters: Record<string, unknown>, options: { retry?: boolean } = {}): Promise<unknown> {
    return (await this.send(route, parameters, options)).data;
  }

  /** One API call with a deadline, retries for transient failures, and errors that say what happened. */
  private async send(route: string, parameters: Record<string, unknown>, options: { retry?: boolean } = {}) {
    const signal = this.options.signal;
    const timeoutMs = this.options.timeoutMs ?? 15_000;
    const shown = `${route
      .replace("{owner}", this.owner)
      .replace("{repo}", this.repo)
      .replace("{deployment_id}", String(parameters.deployment_id ?? ""))}`;
    let attempts = 0;
    try {
      return await retry(
        async () => {
          attempts++;
          const deadline = signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
          try {
            return await this.options.client.request(route, {
              owner: this.owner,
              repo: this.repo,
              ...parameters,
              request: { signal: deadline },
            });
          } catch (error) {
            if (signal?.aborted) throw abortReason(signal);
            if (deadline.aborted) throw new TimeoutFailure(timeoutMs);
            throw error;
          }
        },
        {
          retries: options.retry === false ? 0 : (this.options.retries ?? 2),
          initialDelayMs: this.options.retryDelayMs ?? 500,
          ...(signal ? { signal } : {}),
          shouldRetry: (error) => {
            const status = httpStatusOf(error);
            return status === undefined ? true : status >= 500 && !isRateLimited(error);
          },
        },
      );
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      if (error instanceof TimeoutFailure) {
        throw new LedgerApiError(
          `GitHub API ${shown} did not answer within ${timeoutMs}ms${attempts > 1 ? ` (${attempts} attempts)` : ""}`,
          undefined,
          shown,
        );
      }
      throw describeApiError(error, shown, attempts);
    }
  }
}

class TimeoutFailure extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs}ms`);
  }
}

function toStatusEntry(status: ApiStatus): StatusEntry {
  const logUrl = status.log_url || status.target_url || undefined;
  return {
    state: normalizeState(status.state),
    createdAt: status.created_at,
    ...(status.description ? { description: status.description } : {}),
    ...(status.environment_url ? { environmentUrl: status.environment_url } : {}),
    ...(logUrl ? { logUrl } : {}),
  };
}
