import { GateFailedError } from "@cutover/core";
import { type LintFinding, unacceptedLockHazards } from "./lint.js";
import type { PlannedMigration } from "./plan.js";

/** What the lint gate lets through besides what markers accepted. */
export interface LintPolicy {
  /** Accept every contract statement of the run (never cannot-judge ones: those need a marker each). */
  allowContract: boolean;
  /** Refuse lock hazards no `-- cutover:lock-ok` marker accepted (by default they are reported, not refused). */
  refuseLockHazards?: boolean;
}

/** The findings that stop a plan under `policy`, each with the file it is in. */
export function gateFindings(migrations: readonly PlannedMigration[], policy: LintPolicy): { file: string; finding: LintFinding }[] {
  return migrations.flatMap(({ migration, lint }) => {
    const refused = lint.refused.filter((f) => !(policy.allowContract && f.class === "contract"));
    const locks = policy.refuseLockHazards ? unacceptedLockHazards(lint) : [];
    return [...refused, ...locks].sort((a, b) => a.line - b.line).map((finding) => ({ file: migration.upFile, finding }));
  });
}

/** Refuses the plan (nothing applied) with each statement, why it hurts the live color, and the split that would not. */
export function assertLintGate(migrations: readonly PlannedMigration[], policy: LintPolicy): void {
  const refused = gateFindings(migrations, policy);
  if (refused.length === 0) return;
  throw new GateFailedError(
    `${refused.length} statement(s) would break the live color; nothing was applied. Split each into an expand migration now and a contract migration in a later deployment, or accept it with a marker line before it ('-- cutover:contract-ok <reason>', '-- cutover:expand-ok <reason>' for a statement the lint cannot judge, '-- cutover:lock-ok <reason>' for a lock hazard), or set allow-contract: true for contract statements`,
    refused.map(({ file, finding }) => ({
      subject: `${file} line ${finding.line}: ${finding.statement}`,
      measured: `${finding.class} (${finding.reason})`,
      expected: `expand only (rule ${finding.rule}); how to split: ${finding.fix}`,
    })),
  );
}
