export { clampDescription, type DeploymentLedger, LedgerBase, MAX_DESCRIPTION } from "./deployment-ledger.js";
export { DeploymentNotFoundError, LedgerApiError, LedgerError } from "./errors.js";
export { FileLedger, type FileLedgerOptions } from "./file-ledger.js";
export { type FileLockOptions, withFileLock } from "./file-lock.js";
export { GitHubLedger, type GitHubLedgerOptions, type GitHubRequestClient } from "./github-ledger.js";
export { isKnownGood, matchesVersion, pickLastKnownGood } from "./known-good.js";
export { type LedgerLocation, parseLedgerLocation } from "./ledger-location.js";
export { pageOf, parseLinkHeader } from "./link-header.js";
export {
  type AppliedMigration,
  appliedMigrationSchema,
  COMPATIBILITY,
  type Compatibility,
  DEPLOYMENT_STATES,
  type DeploymentPayload,
  type DeploymentPayloadInput,
  type DeploymentRecord,
  type DeploymentState,
  deploymentPayloadSchema,
  type LastKnownGoodOptions,
  type LedgerPage,
  type ListOptions,
  MIGRATION_CLASSES,
  type MigrationClass,
  type OpenDeployment,
  type SchemaChange,
  type StatusEntry,
  type StatusUpdate,
  schemaChangeSchema,
} from "./record.js";
