export { chooseRollback, needsMoreRecords, type RollbackSelection } from "./choose-target.js";
export { describeRecord } from "./describe-record.js";
export { LedgerSignal } from "./ledger-signal.js";
export { type PlanRollbackInput, planRollback, type RollbackPlan } from "./plan-rollback.js";
export { type NewDeployment, type RecordRequest, type RecordResult, recordDeployment } from "./record-deployment.js";
export {
  effectiveSettings,
  MAX_SETTING_CHARS,
  MAX_SETTINGS_CHARS,
  REDEPLOY_SETTINGS,
  type RedeploySetting,
  recordedSettings,
} from "./redeploy-settings.js";
export { type ResolvedRequest, resolveRequest } from "./resolve-request.js";
export { rollBack } from "./roll-back.js";
export { NoPreviousDeploymentError, RollbackBlockedError } from "./rollback-errors.js";
export { createExecutor, type RollbackExecutor } from "./rollback-executor.js";
export type { MigrateDownRequest, RollbackContext, RollbackRequest } from "./rollback-request.js";
export type { MigrateDownResult, Prepared, PrepareRequest, RollbackOutcome, SwitchBackResult } from "./rollback-result.js";
export {
  confirmDownFiles,
  decideSchema,
  describeMigration,
  type MigrationInTheWay,
  type SchemaDecision,
  type SchemaOptions,
  type SchemaRange,
} from "./schema-decision.js";
export { decideStrategy, partnerColor, type RequestedStrategy, type StrategyDecision } from "./strategy-decision.js";
export { chooseWayDown, type WayDown } from "./way-down.js";
