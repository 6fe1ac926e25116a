import { z } from "zod";

/** The statuses cutover writes; other tools' states (queued, pending, error) are mapped onto these on read. */
export const DEPLOYMENT_STATES = ["in_progress", "success", "failure", "inactive"] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

export const MIGRATION_CLASSES = ["expand", "contract"] as const;
export type MigrationClass = (typeof MIGRATION_CLASSES)[number];

export const COMPATIBILITY = ["none", "expand", "contract"] as const;
export type Compatibility = (typeof COMPATIBILITY)[number];

const text = z.string().trim().min(1);

/** One migration a deployment applied, with the class that decides whether older code still fits. */
export const appliedMigrationSchema = z.object({
  version: text,
  name: z.string().optional(),
  classification: z.enum(MIGRATION_CLASSES),
});
export type AppliedMigration = z.output<typeof appliedMigrationSchema>;

/** The schema a deployment ran against: version before and after, and what took it there. */
export const schemaChangeSchema = z.object({
  before: text.optional(),
  after: text.optional(),
  /** `none`: nothing changed; `expand`: older code still fits; `contract`: older code may break. */
  compatibility: z.enum(COMPATIBILITY).default("none"),
  migrations: z.array(appliedMigrationSchema).default([]),
  /** The backup taken before these migrations (a path or id): what a rollback's restore-command restores. */
  backup: text.optional(),
});
export type SchemaChange = z.output<typeof schemaChangeSchema>;

/**
 * What rollback needs to know about a deployment. It is stored as the GitHub Deployment's
 * `payload` (or in the ledger file) and never changes after the record is opened.
 */
export const deploymentPayloadSchema = z.object({
  version: text,
  ref: text,
  sha: text,
  /** The color this deployment went to. */
  color: text.optional(),
  /** The color that served before it (the one it replaced). */
  replacedColor: text.optional(),
  schema: schemaChangeSchema.optional(),
  slack: z.object({ channel: text, ts: text }).optional(),
  /** The workflow's non-secret settings a redeploy of this release needs (input name → value); never secrets. */
  settings: z.record(z.string(), z.string()).optional(),
  /** Present when this deployment restores an older version. */
  rollback: z
    .object({
      reason: z.string().default(""),
      /** The deployment that was rolled back; closing this record with `success` marks it `failure`. */
      fromId: z.number().int().positive().optional(),
      fromVersion: z.string().optional(),
      strategy: z.enum(["traffic", "redeploy"]).optional(),
    })
    .optional(),
});
export type DeploymentPayload = z.output<typeof deploymentPayloadSchema>;
export type DeploymentPayloadInput = z.input<typeof deploymentPayloadSchema>;

/** Marks payloads cutover wrote, so deployments made by other tools are told apart. */
export const PAYLOAD_MARKER = "cutover";
export const PAYLOAD_FORMAT = 1;

export interface StatusEntry {
  state: DeploymentState;
  createdAt: string;
  description?: string;
  environmentUrl?: string;
  logUrl?: string;
}

/** One deployment as the ledger knows it. */
export interface DeploymentRecord {
  id: number;
  environment: string;
  /** The latest status; a deployment with no status yet counts as `in_progress`. */
  state: DeploymentState;
  createdAt: string;
  payload: DeploymentPayload;
  /** False for deployments another tool created: their payload holds only ref and sha. */
  recordedByCutover: boolean;
  /** Every status, newest first. */
  statuses: StatusEntry[];
  /** The deployment reached `success` at some point (it may be `inactive` now because it was replaced). */
  everSucceeded: boolean;
  description?: string;
  environmentUrl?: string;
  logUrl?: string;
}

export interface OpenDeployment {
  environment: string;
  payload: DeploymentPayloadInput;
  description?: string;
  environmentUrl?: string;
  logUrl?: string;
}

export interface StatusUpdate {
  state: DeploymentState;
  description?: string;
  environmentUrl?: string;
  logUrl?: string;
}

export interface ListOptions {
  /** Records per page (GitHub allows at most 100). */
  perPage?: number;
  /** 1-based page number. */
  page?: number;
}

export interface LedgerPage {
  records: DeploymentRecord[];
  /** The next page number when there is one. */
  nextPage?: number;
}

export interface LastKnownGoodOptions {
  /** Only deployments older than this deployment id. */
  before?: number;
  /** Only deployments of this version (a version label, or a commit SHA or its prefix of at least 7). */
  version?: string;
}

/** Which status wins when reading another tool's states. */
export function normalizeState(state: string): DeploymentState {
  switch (state) {
    case "success":
    case "failure":
    case "inactive":
    case "in_progress":
      return state;
    case "error":
      return "failure";
    default:
      // queued, pending and anything new: not finished yet.
      return "in_progress";
  }
}

/** Builds a record from its parts; the state and the derived fields come from the statuses. */
export function assembleRecord(parts: {
  id: number;
  environment: string;
  createdAt: string;
  description?: string | null;
  rawPayload: unknown;
  ref: string;
  sha: string;
  statuses: StatusEntry[];
}): DeploymentRecord {
  const { payload, recordedByCutover } = readPayload(parts.rawPayload, parts.ref, parts.sha);
  const latest = parts.statuses[0];
  const withUrls = parts.statuses.find((s) => s.environmentUrl);
  const withLog = parts.statuses.find((s) => s.logUrl);
  return {
    id: parts.id,
    environment: parts.environment,
    state: latest?.state ?? "in_progress",
    createdAt: parts.createdAt,
    payload,
    recordedByCutover,
    statuses: parts.statuses,
    everSucceeded: parts.statuses.some((s) => s.state === "success"),
    ...(parts.description ? { description: parts.description } : {}),
    ...(withUrls?.environmentUrl ? { environmentUrl: withUrls.environmentUrl } : {}),
    ...(withLog?.logUrl ? { logUrl: withLog.logUrl } : {}),
  };
}

/** Reads a stored payload; one cutover did not write (or cannot parse) keeps only ref and sha. */
export function readPayload(raw: unknown, ref: string, sha: string): { payload: DeploymentPayload; recordedByCutover: boolean } {
  let value = raw;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      value = undefined;
    }
  }
  if (value && typeof value === "object" && (value as Record<string, unknown>)[PAYLOAD_MARKER] === PAYLOAD_FORMAT) {
    const parsed = deploymentPayloadSchema.safeParse(value);
    if (parsed.success) return { payload: parsed.data, recordedByCutover: true };
  }
  return { payload: { version: ref, ref, sha }, recordedByCutover: false };
}

/** The payload as stored: validated, with the marker. */
export function storedPayload(input: DeploymentPayloadInput): Record<string, unknown> {
  return { [PAYLOAD_MARKER]: PAYLOAD_FORMAT, ...deploymentPayloadSchema.parse(input) };
}
