import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { clampDescription, LedgerBase } from "./deployment-ledger.js";
import { DeploymentNotFoundError, LedgerError } from "./errors.js";
import { withFileLock } from "./file-lock.js";
import { payloadError } from "./payload-error.js";
import {
  assembleRecord,
  type DeploymentRecord,
  type DeploymentState,
  type LedgerPage,
  type ListOptions,
  type OpenDeployment,
  type StatusUpdate,
  storedPayload,
} from "./record.js";

interface StoredStatus {
  state: DeploymentState;
  createdAt: string;
  description?: string;
  environmentUrl?: string;
  logUrl?: string;
}

interface StoredDeployment {
  id: number;
  environment: string;
  ref: string;
  sha: string;
  createdAt: string;
  description?: string;
  payload: Record<string, unknown>;
  /** Oldest first, as they were added. */
  statuses: StoredStatus[];
}

interface LedgerFile {
  format: "cutover-ledger";
  version: 1;
  nextId: number;
  deployments: StoredDeployment[];
}

export interface FileLedgerOptions {
  lockTimeoutMs?: number;
  signal?: AbortSignal;
  now?: () => Date;
}

/**
 * The ledger as one JSON file, for the sandbox and runners without API access. Every change
 * happens under a lock file and lands with write-to-temp + rename, so a reader never sees half
 * a file and two writers never lose each other's records.
 */
export class FileLedger extends LedgerBase {
  readonly path: string;
  readonly where: string;

  constructor(
    path: string,
    private readonly options: FileLedgerOptions = {},
  ) {
    super();
    this.path = resolve(path);
    this.where = `ledger file ${this.path}`;
  }

  async open(request: OpenDeployment): Promise<DeploymentRecord> {
    let payload: Record<string, unknown>;
    try {
      payload = storedPayload(request.payload);
    } catch (error) {
      throw payloadError(error);
    }
    return this.transaction((file) => {
      const now = this.now();
      const deployment: StoredDeployment = {
        id: file.nextId++,
        environment: request.environment,
        ref: String(payload.ref),
        sha: String(payload.sha),
        createdAt: now,
        ...(request.description ? { description: request.description } : {}),
        payload,
        statuses: [status({ state: "in_progress", environmentUrl: request.environmentUrl, logUrl: request.logUrl }, now)],
      };
      file.deployments.push(deployment);
      return toRecord(deployment);
    });
  }

  async update(id: number, update: StatusUpdate): Promise<DeploymentRecord> {
    return this.transaction((file) => {
      const deployment = file.deployments.find((d) => d.id === id);
      if (!deployment) throw new DeploymentNotFoundError(id, this.where);
      const now = this.now();
      if (update.state === "success") {
        const record = toRecord(deployment);
        const fromId = record.payload.rollback?.fromId;
        const from = fromId === undefined || fromId === id ? undefined : file.deployments.find((d) => d.id === fromId);
        if (from && latestState(from) !== "failure") {
          from.statuses.push(
            status({ state: "failure", description: `rolled back by #${id}: ${record.payload.rollback?.reason ?? ""}` }, now),
          );
        }
      }
      deployment.statuses.push(status(update, now));
      if (update.state === "success") {
        for (const other of file.deployments) {
          if (other.id !== id && other.environment === deployment.environment && latestState(other) === "success") {
            other.statuses.push(status({ state: "inactive", description: `replaced by #${id}` }, now));
          }
        }
      }
      return toRecord(deployment);
    });
  }

  async get(id: number): Promise<DeploymentRecord> {
    const file = await this.read();
    const deployment = file.deployments.find((d) => d.id === id);
    if (!deployment) throw new DeploymentNotFoundError(id, this.where);
    return toRecord(deployment);
  }

  async list(environment: string, options: ListOptions = {}): Promise<LedgerPage> {
    const perPage = Math.min(100, Math.max(1, options.perPage ?? 30));
    const page = Math.max(1, options.page ?? 1);
    const file = await this.read();
    const all = file.deployments.filter((d) => d.environment === environment).sort((a, b) => b.id - a.id);
    const slice = all.slice((page - 1) * perPage, page * perPage);
    return {
      records: slice.map(toRecord),
      ...(page * perPage < all.length ? { nextPage: page + 1 } : {}),
    };
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  private async read(): Promise<LedgerFile> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { format: "cutover-ledger", version: 1, nextId: 1, deployments: [] };
      throw new LedgerError(`cannot read ${this.where}: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // Where only: JSON.parse's message quotes the file's first bytes, which may be a secret (a .env given by mistake).
      const at = /position \d+(?: \(line \d+ column \d+\))?/.exec((error as Error).message)?.[0];
      throw new LedgerError(`${this.where} is not valid JSON${at ? ` (at ${at})` : ""}; fix or remove it`);
    }
    const file = parsed as Partial<LedgerFile>;
    if (file?.format !== "cutover-ledger" || file.version !== 1 || !Array.isArray(file.deployments) || typeof file.nextId !== "number") {
      throw new LedgerError(`${this.where} is not a cutover ledger (expected {"format":"cutover-ledger","version":1,...})`);
    }
    return file as LedgerFile;
  }

  private async transaction<T>(change: (file: LedgerFile) => T): Promise<T> {
    await mkdir(dirname(this.path), { recursive: true });
    return withFileLock(
      this.path,
      async () => {
        const file = await this.read();
        const result = change(file);
        await writeAtomically(this.path, `${JSON.stringify(file, null, 2)}\n`);
        return result;
      },
      { timeoutMs: this.options.lockTimeoutMs ?? 10_000, ...(this.options.signal ? { signal: this.options.signal } : {}) },
    );
  }
}

/** Writes a sibling temp file, flushes it, then renames it over the target (atomic on one file system). */
async function writeAtomically(path: string, content: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

function status(
  update: StatusUpdate | { state: DeploymentState; description?: string; environmentUrl?: string; logUrl?: string },
  now: string,
): StoredStatus {
  const description = clampDescription(update.description);
  return {
    state: update.state,
    createdAt: now,
    ...(description ? { description } : {}),
    ...(update.environmentUrl ? { environmentUrl: update.environmentUrl } : {}),
    ...(update.logUrl ? { logUrl: update.logUrl } : {}),
  };
}

function latestState(deployment: StoredDeployment): DeploymentState {
  return deployment.statuses.at(-1)?.state ?? "in_progress";
}

function toRecord(deployment: StoredDeployment): DeploymentRecord {
  return assembleRecord({
    id: deployment.id,
    environment: deployment.environment,
    createdAt: deployment.createdAt,
    description: deployment.description ?? null,
    rawPayload: deployment.payload,
    ref: deployment.ref,
    sha: deployment.sha,
    statuses: [...deployment.statuses].reverse(),
  });
}
