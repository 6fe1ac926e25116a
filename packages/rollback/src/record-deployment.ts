import { ConfigError } from "@cutover/core";
import type {
  AppliedMigration,
  Compatibility,
  DeploymentLedger,
  DeploymentPayloadInput,
  DeploymentRecord,
  DeploymentState,
} from "@cutover/ledger";

/** A new record's payload as a deployment knows it; the schema's compatibility is derived when not given. */
export interface NewDeployment {
  version: string;
  ref: string;
  sha: string;
  color?: string;
  replacedColor?: string;
  schema?: { before?: string; after?: string; compatibility?: Compatibility; migrations?: AppliedMigration[]; backup?: string };
  slack?: { channel: string; ts: string };
  /** The non-secret settings a redeploy needs (recordedSettings). */
  settings?: Record<string, string>;
}

/** Open a record (`deployment`) or add a status to one (`deploymentId`). */
export type RecordRequest = {
  environment: string;
  status?: DeploymentState;
  description?: string;
  environmentUrl?: string;
  logUrl?: string;
} & ({ deploymentId: number; deployment?: undefined } | { deployment: NewDeployment; deploymentId?: undefined });

export interface RecordResult {
  action: "opened" | "updated";
  record: DeploymentRecord;
  /** When a record was opened: the deployment live before it (the release it replaces), if any. */
  live?: DeploymentRecord;
}

/**
 * Writes the ledger entries rollback reads later: opens a record (then sets `status` if it is
 * not in_progress), or adds a status to an existing record of the same environment.
 */
export async function recordDeployment(ledger: DeploymentLedger, request: RecordRequest): Promise<RecordResult> {
  const urls = {
    ...(request.environmentUrl ? { environmentUrl: request.environmentUrl } : {}),
    ...(request.logUrl ? { logUrl: request.logUrl } : {}),
  };
  const id = request.deploymentId;
  if (id !== undefined) {
    const existing = await ledger.get(id);
    if (existing.environment !== request.environment) {
      throw ConfigError.single({
        input: "deployment-id",
        path: "",
        given: String(id),
        expected: `a deployment of '${request.environment}' (#${id} belongs to '${existing.environment}')`,
      });
    }
    const record = await ledger.update(id, {
      state: request.status ?? "in_progress",
      ...(request.description ? { description: request.description } : {}),
      ...urls,
    });
    return { action: "updated", record };
  }
  // Read before opening: once open, the new record is the newest in the environment.
  const live = await ledger.current(request.environment);
  const opened = await ledger.open({
    environment: request.environment,
    payload: payloadOf(request.deployment),
    ...(request.description ? { description: request.description } : {}),
    ...urls,
  });
  const status = request.status ?? "in_progress";
  const record = status === "in_progress" ? opened : await ledger.update(opened.id, { state: status, ...urls });
  return { action: "opened", record, ...(live ? { live } : {}) };
}

function payloadOf(deployment: NewDeployment): DeploymentPayloadInput {
  const { schema, ...rest } = deployment;
  if (!schema) return rest;
  const migrations = schema.migrations ?? [];
  // A contract migration anywhere makes the change a contract; any migration at all, an expand.
  const derived: Compatibility = migrations.some((m) => m.classification === "contract")
    ? "contract"
    : migrations.length > 0
      ? "expand"
      : "none";
  return {
    ...rest,
    schema: {
      ...(schema.before ? { before: schema.before } : {}),
      ...(schema.after ? { after: schema.after } : {}),
      ...(schema.backup ? { backup: schema.backup } : {}),
      compatibility: schema.compatibility ?? derived,
      migrations,
    },
  };
}
