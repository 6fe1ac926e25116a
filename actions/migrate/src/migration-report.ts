import type { Compatibility, LintFinding } from "@cutover/migrations";

/** One migration row of the report and the summary table. */
export interface MigrationRow {
  version: string;
  file: string;
  status: "pending" | "applied" | "skipped" | "reverted" | "failed" | "cancelled";
  compatibility?: Compatibility;
  transactional: boolean;
  "duration-ms"?: number;
  findings: LintFinding[];
  /** Plan mode: the SQL that would run. */
  sql?: string;
}

/** The `report` output: everything a later step (or a person) needs, no credentials. */
export interface MigrateReport {
  mode: "apply" | "plan" | "down" | "lint";
  engine: "built-in" | "command";
  database?: string;
  outcome: "ok" | "failed";
  "schema-before"?: string;
  "schema-after"?: string;
  compatibility?: Compatibility | "none";
  applied: string[];
  reverted: string[];
  pending: number;
  migrations: MigrationRow[];
  "backup-path"?: string;
  /** Lint warnings (markers without a reason, markers before safe statements). */
  warnings: string[];
  error?: string;
  /** Command mode: the commands that ran. */
  commands?: { input: string; "exit-code": number; "duration-ms": number }[];
}

export function emptyReport(mode: MigrateReport["mode"], engine: MigrateReport["engine"]): MigrateReport {
  return { mode, engine, outcome: "ok", applied: [], reverted: [], pending: 0, migrations: [], warnings: [] };
}
