import type { Driver } from "./driver.js";
import type { Compatibility, LintFinding } from "./lint.js";
import { assertLintGate } from "./lint-gate.js";
import type { MigrationSet } from "./migration-files.js";
import { type ApplyPlan, planApply } from "./plan.js";

/** Something worth a log line while migrations run. */
export type MigrationEvent =
  | { type: "lock-wait"; holder: string }
  | { type: "lock-acquired"; waitedMs: number }
  | { type: "backup"; path: string }
  | { type: "start"; version: bigint; file: string; direction: "up" | "down"; transactional: boolean }
  | { type: "done"; version: bigint; file: string; direction: "up" | "down"; durationMs: number; skipped: boolean };

export interface ApplyOptions {
  /** Apply up to and including this version; all pending when undefined. */
  toVersion?: bigint;
  /** Apply contract migrations too (they fail the plan otherwise). */
  allowContract?: boolean;
  /** Refuse lock hazards that no `-- cutover:lock-ok` marker accepted (reported only, by default). */
  refuseLockHazards?: boolean;
  lockTimeoutMs: number;
  /** Who applied it, recorded per migration (e.g. `octocat via deploy.yml run 42`). */
  appliedBy: string;
  /** Write a backup into this directory before the first migration runs. */
  backupDir?: string;
  signal?: AbortSignal;
  onEvent?: (event: MigrationEvent) => void;
  /** The caller's own plan of the same files and `toVersion`, made just before: its lint is reused. */
  plan?: ApplyPlan;
}

/** One migration this run applied. */
export interface AppliedStep {
  version: bigint;
  name: string;
  file: string;
  durationMs: number;
  compatibility: Compatibility;
  transactional: boolean;
  /** The contract statements a marker accepted, with the marker's reason. */
  accepted: LintFinding[];
}

export interface ApplyResult {
  from: bigint;
  to: bigint;
  applied: AppliedStep[];
  /** Migrations another run applied while this one waited for the lock. */
  skipped: bigint[];
  /** Pending migrations left after this run (beyond target-schema). */
  pending: number;
  compatibility: Compatibility | "none";
  backupPath?: string;
  /** The plan as it stood before the lock was taken. */
  plan: ApplyPlan;
}

/**
 * Applies pending migrations: lint gate first (nothing changes if it refuses), then the lock,
 * then a fresh read of the tracking table (another run may have applied some meanwhile),
 * the optional backup, and one transaction per migration, in order.
 */
export async function applyMigrations(driver: Driver, set: MigrationSet, options: ApplyOptions): Promise<ApplyResult> {
  const before = options.plan ?? (await planApply(set, await driver.readApplied(), options.toVersion, driver.kind, driver.trackingTable));
  assertLintGate(before.migrations, { allowContract: options.allowContract ?? false, refuseLockHazards: options.refuseLockHazards });
  const result: ApplyResult = {
    from: before.from,
    to: before.from,
    applied: [],
    skipped: [],
    pending: before.migrations.length + before.later.length,
    compatibility: before.compatibility,
    plan: before,
  };
  if (before.migrations.length === 0) {
    result.pending = before.later.length;
    return result;
  }

  const waitStarted = performance.now();
  const release = await driver.lock({
    timeoutMs: options.lockTimeoutMs,
    signal: options.signal,
    onWait: (holder) => options.onEvent?.({ type: "lock-wait", holder }),
  });
  try {
    options.onEvent?.({ type: "lock-acquired", waitedMs: Math.round(performance.now() - waitStarted) });
    await driver.ensureTrackingTable();
    // Under the lock the history is read again (another run may have applied some meanwhile); the lint is not redone unless that changed what is pending.
    const plan = await planApply(set, await driver.readApplied(), options.toVersion, driver.kind, driver.trackingTable, before);
    assertLintGate(plan.migrations, { allowContract: options.allowContract ?? false, refuseLockHazards: options.refuseLockHazards });
    result.skipped = before.migrations
      .map((m) => m.migration.version)
      .filter((v) => !plan.migrations.some((m) => m.migration.version === v));
    result.pending = plan.migrations.length + plan.later.length;
    result.to = plan.from;
    if (plan.migrations.length > 0 && options.backupDir) {
      result.backupPath = await driver.backup(options.backupDir, { signal: options.signal });
      options.onEvent?.({ type: "backup", path: result.backupPath });
    }
    for (const { migration, lint } of plan.migrations) {
      const accepted = lint.findings.filter((f) => f.acceptedBecause !== undefined);
      options.onEvent?.({
        type: "start",
        version: migration.version,
        file: migration.upFile,
        direction: "up",
        transactional: migration.transactional,
      });
      const outcome = await driver.applyStep(
        {
          version: migration.version,
          name: migration.name,
          file: migration.upFile,
          sql: migration.upSql,
          transactional: migration.transactional,
        },
        {
          version: migration.version,
          name: migration.name,
          checksum: migration.checksum,
          appliedBy: options.appliedBy,
          compatibility: lint.compatibility,
          contractOk: accepted.length > 0 ? accepted.map((f) => f.acceptedBecause).join("; ") : null,
          transactional: migration.transactional,
        },
        { signal: options.signal },
      );
      options.onEvent?.({
        type: "done",
        version: migration.version,
        file: migration.upFile,
        direction: "up",
        durationMs: outcome.durationMs,
        skipped: outcome.outcome === "skipped",
      });
      result.pending--;
      result.to = migration.version;
      if (outcome.outcome === "skipped") {
        result.skipped.push(migration.version);
        continue;
      }
      result.applied.push({
        version: migration.version,
        name: migration.name,
        file: migration.upFile,
        durationMs: outcome.durationMs,
        compatibility: lint.compatibility,
        transactional: migration.transactional,
        accepted,
      });
    }
    result.compatibility =
      result.applied.length === 0 ? "none" : result.applied.some((a) => a.compatibility === "contract") ? "contract" : "expand";
    return result;
  } finally {
    await release();
  }
}
