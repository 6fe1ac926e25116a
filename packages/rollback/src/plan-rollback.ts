import type { DeploymentRecord } from "@cutover/ledger";
import type { ColorProbe } from "@cutover/traffic";
import { chooseRollback, type RollbackSelection } from "./choose-target.js";
import { decideSchema, type SchemaDecision } from "./schema-decision.js";
import { decideStrategy, type RequestedStrategy, type StrategyDecision } from "./strategy-decision.js";

// Pure decisions of a rollback: which deployment to go back to, how, and whether the schema
// allows it. No I/O: the caller reads the ledger, probes, checks files, and acts on the plan.

export interface RollbackPlan {
  selection: RollbackSelection;
  strategy: StrategyDecision;
  schema: SchemaDecision;
}

export interface PlanRollbackInput {
  environment: string;
  /** The environment's records, newest first, down to at least the target. */
  records: readonly DeploymentRecord[];
  toVersion?: string;
  strategy: RequestedStrategy;
  migrateDown: boolean;
  downFiles?: readonly string[];
  probe?: ColorProbe;
}

/** The whole decision: target, strategy and schema; throws a typed error when rollback must not happen. */
export function planRollback(input: PlanRollbackInput): RollbackPlan {
  const selection = chooseRollback(input.records, input.environment, input.toVersion);
  const schema = decideSchema(input.records, selection, {
    migrateDown: input.migrateDown,
    ...(input.downFiles ? { downFiles: input.downFiles } : {}),
  });
  const strategy = decideStrategy(input.records, selection, input.strategy, input.probe);
  return { selection, strategy, schema };
}
