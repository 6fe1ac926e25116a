import { CutoverError } from "@cutover/core";
import type { ColorProbe, MigrationInTheWay } from "@cutover/ledger";
import type { RollbackInputs } from "./inputs.js";

/**
 * The seam between the rollback decision (done here, from the ledger) and the parts that touch
 * the router and the database. The lead wires it to @cutover/traffic and @cutover/migrations;
 * until then `NotWiredExecutor` refuses, before anything in the ledger changes.
 */
export interface RollbackExecutor {
  /** What `color` serves (through verify-url and the router's per-color address), or undefined when unknown. */
  probeColor(color: string): Promise<ColorProbe | undefined>;
  /** Of these migration versions, the ones with a down file in `dir`. */
  availableDownFiles(versions: readonly string[]): Promise<string[]>;
  /** Reverts `migrations` (newest first) so the schema returns to `toSchema`; holds the migration lock throughout. */
  migrateDown(toSchema: string, migrations: readonly MigrationInTheWay[]): Promise<void>;
  /** Switches the router to `color` and verifies it with verify-url/verify-expect; returns how long it took. */
  switchTraffic(color: string): Promise<{ durationMs: number }>;
}

/** A part of rollback that needs an engine not wired into this build. */
export class NotWiredError extends CutoverError {
  override name = "NotWiredError";
}

export class NotWiredExecutor implements RollbackExecutor {
  async probeColor(): Promise<ColorProbe | undefined> {
    // No router yet: the decision rests on the ledger record alone.
    return undefined;
  }

  async availableDownFiles(): Promise<string[]> {
    throw new NotWiredError(
      "migrate-down not wired yet: this build cannot check or run down migrations (needs @cutover/migrations); nothing was changed",
    );
  }

  async migrateDown(): Promise<void> {
    throw new NotWiredError(
      "migrate-down not wired yet: this build cannot run down migrations (needs @cutover/migrations); nothing was changed",
    );
  }

  async switchTraffic(color: string): Promise<{ durationMs: number }> {
    throw new NotWiredError(
      `traffic strategy not wired yet: this build cannot switch the router back to ${color} (needs @cutover/traffic); use strategy: redeploy. Nothing was changed`,
    );
  }
}

/** The executor for these inputs. */
export function createExecutor(_inputs: RollbackInputs, _context: { signal: AbortSignal }): RollbackExecutor {
  return new NotWiredExecutor();
}
