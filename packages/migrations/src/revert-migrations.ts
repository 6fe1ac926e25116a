import { ConfigError } from "@cutover/core";
import type { MigrationEvent } from "./apply-migrations.js";
import type { Driver } from "./driver.js";
import { type MigrationSet, wantsNoTransaction } from "./migration-files.js";
import { type DownPlan, planDown } from "./plan.js";

export interface RevertOptions {
  lockTimeoutMs: number;
  signal?: AbortSignal;
  onEvent?: (event: MigrationEvent) => void;
}

export interface RevertedStep {
  version: bigint;
  name: string;
  file: string;
  durationMs: number;
}

export interface RevertResult {
  from: bigint;
  to: bigint;
  reverted: RevertedStep[];
  /** Versions another run reverted while this one waited for the lock. */
  skipped: bigint[];
  plan: DownPlan;
}

/** Refuses a down plan with missing down files, naming each, before anything runs. */
export function assertRevertible(plan: DownPlan): void {
  if (plan.missing.length === 0) return;
  throw new ConfigError(
    plan.missing.map((step) => ({
      input: "migrations-dir",
      path: `${step.version}_${step.name}.down.sql`,
      given: `no down file for applied version ${step.version}`,
      expected: `a down file for every migration above version ${plan.to}; nothing was reverted`,
    })),
  );
}

/** Reverts applied migrations newest first down to `toVersion`, each down file in its own transaction, under the lock. */
export async function revertMigrations(
  driver: Driver,
  set: MigrationSet,
  toVersion: bigint,
  options: RevertOptions,
): Promise<RevertResult> {
  const before = planDown(set, await driver.readApplied(), toVersion, driver.trackingTable);
  assertRevertible(before);
  const result: RevertResult = { from: before.from, to: before.from, reverted: [], skipped: [], plan: before };
  if (before.steps.length === 0) return result;
  const waitStarted = performance.now();
  const release = await driver.lock({
    timeoutMs: options.lockTimeoutMs,
    signal: options.signal,
    onWait: (holder) => options.onEvent?.({ type: "lock-wait", holder }),
  });
  try {
    options.onEvent?.({ type: "lock-acquired", waitedMs: Math.round(performance.now() - waitStarted) });
    const plan = planDown(set, await driver.readApplied(), toVersion, driver.trackingTable);
    assertRevertible(plan);
    result.from = plan.from;
    result.to = plan.from;
    for (const step of plan.steps) {
      const migration = step.migration;
      if (!migration?.downFile || migration.downSql === undefined) continue;
      const transactional = !wantsNoTransaction(migration.downSql);
      options.onEvent?.({ type: "start", version: step.version, file: migration.downFile, direction: "down", transactional });
      const outcome = await driver.revertStep(
        { version: step.version, name: step.name, file: migration.downFile, sql: migration.downSql, transactional },
        { signal: options.signal },
      );
      options.onEvent?.({
        type: "done",
        version: step.version,
        file: migration.downFile,
        direction: "down",
        durationMs: outcome.durationMs,
        skipped: outcome.outcome === "skipped",
      });
      if (outcome.outcome === "skipped") result.skipped.push(step.version);
      else result.reverted.push({ version: step.version, name: step.name, file: migration.downFile, durationMs: outcome.durationMs });
    }
    result.to = plan.to;
    return result;
  } finally {
    await release();
  }
}
