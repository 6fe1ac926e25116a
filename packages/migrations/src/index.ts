export {
  type AppliedStep,
  type ApplyOptions,
  type ApplyResult,
  applyMigrations,
  type MigrationEvent,
} from "./apply-migrations.js";
export {
  type CommandModeOptions,
  type CommandModeResult,
  type RestoreOptions,
  runCommandMode,
  runRestoreCommand,
  versionFromOutput,
} from "./command-mode.js";
export { type CommandResult, type CommandRunner, type CommandRunOptions, shellCommandRunner } from "./command-runner.js";
export { type DatabaseTarget, parseDatabaseUrl } from "./database-url.js";
export type { AppliedMigration, Driver, MigrationStep, StepOptions, StepOutcome } from "./driver.js";
export { CommandFailedError, MigrationFailedError } from "./errors.js";
export { compareHistory, type History } from "./history.js";
export {
  CONTRACT_OK_MARKER,
  type Compatibility,
  EXPAND_OK_MARKER,
  type LintFinding,
  type LintOptions,
  type LintResult,
  LOCK_OK_MARKER,
  lintMigration,
  type SqlDialect,
  unacceptedLockHazards,
} from "./lint.js";
export { assertLintGate, gateFindings, type LintPolicy } from "./lint-gate.js";
export { LINT_RULES, type LintRule, type LintRuleId, type StatementClass } from "./lint-rules.js";
export { checksumOf, loadMigrations, type MigrationFile, type MigrationSet, NO_TRANSACTION_MARKER } from "./migration-files.js";
export { databaseUrlRedactor, MigrationDatabase, type OpenOptions, openDatabase } from "./open-database.js";
export { libpqEnvironment, pgDumpMajor } from "./pg-dump.js";
export { type ApplyPlan, type DownPlan, type DownStep, lintPending, type PlannedMigration, planApply, planDown } from "./plan.js";
export { advisoryLockKey } from "./postgres-driver.js";
export { isParserChild, PARSER_CHILD_ENV, useParserProcess } from "./postgres-parser-process.js";
export { runParserChild } from "./postgres-statements.js";
export { assertRevertible, type RevertedStep, type RevertOptions, type RevertResult, revertMigrations } from "./revert-migrations.js";
export { type SqlStatement, splitStatements } from "./sql-splitter.js";
export { DEFAULT_TRACKING_TABLE } from "./tracking-table.js";
