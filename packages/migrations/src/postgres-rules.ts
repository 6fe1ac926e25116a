import type {
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  Constraint,
  DropStmt,
  IndexStmt,
  Node,
  RangeVar,
  RenameStmt,
  VariableSetStmt,
} from "libpg-query";
import type { LintRuleId } from "./lint-rules.js";

/** What the rules remember across the statements of one migration file (and tables across the plan). */
export interface PostgresLintState {
  /** Tables created earlier in the plan: unknown to the live color, so anything goes on them. */
  newTables: Set<string>;
  /** A `SET lock_timeout` ran earlier in this file. */
  lockTimeout: boolean;
  /** The file runs in one transaction (no `-- cutover:no-transaction` marker). */
  transactional: boolean;
}

/** The single key of a parse-tree node and its body. */
function unwrap(node: Node | undefined): [string, Record<string, unknown>] {
  const [entry] = Object.entries(node ?? {});
  return entry ? [entry[0], entry[1] as Record<string, unknown>] : ["", {}];
}

/** Unqualified table name as the parser folds it: what tells a new table of this plan from an old one. */
function tableKey(relation: RangeVar | undefined): string {
  return relation?.relname ?? "";
}

// Statements that only add things, change data, or set session state: expand, no lock worth a rule.
const EXPAND_STATEMENTS = new Set([
  "ViewStmt",
  "CreateFunctionStmt",
  "CreateSeqStmt",
  "AlterSeqStmt",
  "CreateSchemaStmt",
  "CreateExtensionStmt",
  "AlterExtensionStmt",
  "CompositeTypeStmt",
  "CreateEnumStmt",
  "CreateDomainStmt",
  "CreateRangeStmt",
  "CommentStmt",
  "GrantStmt",
  "GrantRoleStmt",
  "CreateRoleStmt",
  "AlterRoleStmt",
  "AlterDefaultPrivilegesStmt",
  "InsertStmt",
  "UpdateStmt",
  "DeleteStmt",
  "SelectStmt",
  "VariableShowStmt",
  "TransactionStmt",
  "CreatePolicyStmt",
  "AlterOwnerStmt",
  "AlterFunctionStmt",
  "DefineStmt",
  "CreateCastStmt",
  "NotifyStmt",
  "CreateStatsStmt",
  "AnalyzeStmt",
]);

const DROP_TABLE_TYPES = new Set(["OBJECT_TABLE", "OBJECT_FOREIGN_TABLE"]);
const RENAME_EXPAND = new Set(["OBJECT_TABCONSTRAINT", "OBJECT_INDEX", "OBJECT_TRIGGER", "OBJECT_POLICY", "OBJECT_RULE"]);
const SERIAL_TYPES = new Set(["serial", "serial2", "serial4", "serial8", "smallserial", "bigserial"]);
// Functions a default may call without forcing a rewrite: stable or immutable, evaluated once by ALTER TABLE.
const NON_VOLATILE_FUNCTIONS = new Set([
  "now",
  "statement_timestamp",
  "transaction_timestamp",
  "current_setting",
  "lower",
  "upper",
  "jsonb_build_object",
  "json_build_object",
  "jsonb_build_array",
  "json_build_array",
  "to_jsonb",
  "to_json",
  "array_fill",
  "make_date",
  "make_interval",
]);

/** True when an expression calls a function that is (or may be) volatile. */
function callsVolatile(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(callsVolatile);
  if (!node || typeof node !== "object") return false;
  for (const [key, value] of Object.entries(node)) {
    if (key === "FuncCall") {
      const names = ((value as { funcname?: Node[] }).funcname ?? []).map((n) => unwrap(n)[1].sval as string);
      if (!NON_VOLATILE_FUNCTIONS.has(names.at(-1) ?? "")) return true;
    }
    if (callsVolatile(value)) return true;
  }
  return false;
}

function constraintsOf(def: ColumnDef): Constraint[] {
  return (def.constraints ?? []).map((c) => unwrap(c)[1] as Constraint);
}

function addColumnRules(def: ColumnDef): LintRuleId[] {
  const constraints = constraintsOf(def);
  const has = (type: string) => constraints.some((c) => c.contype === type);
  const typeName = (def.typeName?.names ?? []).map((n) => unwrap(n)[1].sval as string).at(-1) ?? "";
  const serial = SERIAL_TYPES.has(typeName);
  const defaults = constraints.filter((c) => c.contype === "CONSTR_DEFAULT");
  const stored = constraints.some((c) => c.contype === "CONSTR_GENERATED" && c.generated_kind !== "v");
  const rules: LintRuleId[] = [];
  if (has("CONSTR_NOTNULL") && defaults.length === 0 && !has("CONSTR_IDENTITY") && !has("CONSTR_GENERATED") && !serial) {
    rules.push("add-not-null-column");
  }
  if (serial || has("CONSTR_IDENTITY") || stored || defaults.some((c) => callsVolatile(c.raw_expr)))
    rules.push("add-column-rewrites-table");
  if (has("CONSTR_PRIMARY") || has("CONSTR_UNIQUE")) rules.push("constraint-builds-index");
  if (has("CONSTR_FOREIGN") || has("CONSTR_CHECK")) rules.push("constraint-not-valid");
  return rules;
}

function addConstraintRules(constraint: Constraint): LintRuleId[] | undefined {
  switch (constraint.contype) {
    case "CONSTR_CHECK":
    case "CONSTR_FOREIGN":
      return constraint.skip_validation ? ["add-constraint"] : ["add-constraint", "constraint-not-valid"];
    case "CONSTR_UNIQUE":
    case "CONSTR_PRIMARY":
      // USING INDEX promotes an index built CONCURRENTLY earlier: writes already obey it, no build under lock.
      return constraint.indexname ? [] : ["add-constraint", "constraint-builds-index"];
    case "CONSTR_EXCLUSION":
      return ["add-constraint", "constraint-builds-index"];
    case "CONSTR_NOTNULL":
      return ["set-not-null", "set-not-null-scans-table"];
    default:
      return undefined;
  }
}

const QUIET_TABLE_COMMANDS = new Set([
  "AT_DropNotNull",
  "AT_ValidateConstraint",
  "AT_SetStatistics",
  "AT_SetOptions",
  "AT_ResetOptions",
  "AT_SetStorage",
  "AT_SetCompression",
  "AT_DropExpression",
  "AT_AddIdentity",
  "AT_SetIdentity",
  "AT_ChangeOwner",
  "AT_SetRelOptions",
  "AT_ResetRelOptions",
  "AT_ClusterOn",
  "AT_DropCluster",
  "AT_ReplicaIdentity",
  "AT_EnableTrig",
  "AT_EnableAlwaysTrig",
  "AT_EnableReplicaTrig",
  "AT_DisableTrig",
  "AT_EnableTrigAll",
  "AT_DisableTrigAll",
  "AT_EnableTrigUser",
  "AT_DisableTrigUser",
]);
const REWRITE_TABLE_COMMANDS = new Set(["AT_SetTableSpace", "AT_SetLogged", "AT_SetUnLogged", "AT_SetAccessMethod"]);

/** The rules one ALTER TABLE subcommand breaks; undefined when the rules do not know the subcommand. */
function tableCommandRules(cmd: AlterTableCmd, objtype: string | undefined): LintRuleId[] | undefined {
  const subtype = cmd.subtype ?? "";
  if (objtype === "OBJECT_TYPE") return subtype === "AT_AddColumn" ? [] : ["change-type"];
  if (QUIET_TABLE_COMMANDS.has(subtype)) return [];
  if (REWRITE_TABLE_COMMANDS.has(subtype)) return ["rewrites-table"];
  switch (subtype) {
    case "AT_AddColumn":
      return addColumnRules(unwrap(cmd.def)[1] as ColumnDef);
    case "AT_ColumnDefault":
      return cmd.def ? [] : ["drop-default"];
    case "AT_DropIdentity":
      return ["drop-default"];
    case "AT_SetNotNull":
      return ["set-not-null", "set-not-null-scans-table"];
    case "AT_DropColumn":
      return ["drop-column"];
    case "AT_AlterColumnType":
      return ["change-column-type", "column-type-rewrites-table"];
    case "AT_DropConstraint":
      return ["drop-constraint"];
    case "AT_AddConstraint":
      return addConstraintRules(unwrap(cmd.def)[1] as Constraint);
    default:
      return undefined;
  }
}

/** Rules for one parsed statement. Updates `state` (new tables, lock_timeout) as the file goes on. */
export function postgresStatementRules(node: Node, state: PostgresLintState): LintRuleId[] {
  const [kind, body] = unwrap(node);
  const isNew = (relation: RangeVar | undefined) => state.newTables.has(tableKey(relation));
  // Rules on an existing table; a lock on it without lock_timeout adds one more.
  const onTable = (relation: RangeVar | undefined, rules: LintRuleId[], takesLock = true): LintRuleId[] => {
    if (isNew(relation)) return [];
    return takesLock && !state.lockTimeout ? [...rules, "missing-lock-timeout"] : rules;
  };
  switch (kind) {
    case "CreateStmt":
      state.newTables.add(tableKey((body as { relation?: RangeVar }).relation));
      return [];
    case "CreateTableAsStmt":
      state.newTables.add(tableKey((body as { into?: { rel?: RangeVar } }).into?.rel));
      return [];
    case "SelectStmt":
      if ((body as { intoClause?: { rel?: RangeVar } }).intoClause) {
        state.newTables.add(tableKey((body as { intoClause: { rel?: RangeVar } }).intoClause.rel));
      }
      return [];
    case "VariableSetStmt": {
      const set = body as VariableSetStmt;
      if (set.name === "lock_timeout") {
        const value = unwrap(set.args?.[0])[1] as { ival?: { ival?: number }; sval?: { sval?: string } };
        // The parse tree leaves out a zero integer: `{ ival: {} }` is SET lock_timeout = 0, which disables it.
        const zero = value.ival ? (value.ival.ival ?? 0) === 0 : /^0+\s*(?:ms|s|min)?$/i.test(value.sval?.sval?.trim() ?? "");
        // SET LOCAL outside a transaction block (a no-transaction file) lasts for nothing.
        state.lockTimeout = set.kind === "VAR_SET_VALUE" && !zero && (state.transactional || !set.is_local);
      }
      return [];
    }
    case "IndexStmt": {
      const index = body as IndexStmt;
      if (isNew(index.relation)) return [];
      const rules: LintRuleId[] = index.unique ? ["add-unique-index"] : [];
      if (!index.concurrent) return onTable(index.relation, [...rules, "index-not-concurrent"]);
      return state.transactional ? [...rules, "concurrently-in-transaction"] : rules;
    }
    case "AlterTableStmt": {
      const alter = body as AlterTableStmt;
      if (isNew(alter.relation)) return [];
      const rules: LintRuleId[] = [];
      for (const cmd of alter.cmds ?? []) {
        const found = tableCommandRules(unwrap(cmd)[1] as AlterTableCmd, alter.objtype);
        if (!found) return ["unknown-statement"];
        for (const rule of found) if (!rules.includes(rule)) rules.push(rule);
      }
      return onTable(alter.relation, rules, alter.objtype !== "OBJECT_TYPE");
    }
    case "RenameStmt": {
      const rename = body as RenameStmt;
      const type = rename.renameType ?? "";
      if (RENAME_EXPAND.has(type)) return [];
      if (type === "OBJECT_COLUMN") return onTable(rename.relation, ["rename-column"]);
      if (type === "OBJECT_TABLE") return onTable(rename.relation, ["rename-table"]);
      return ["rename-object"];
    }
    case "AlterObjectSchemaStmt":
      return ["rename-object"];
    case "DropStmt": {
      const drop = body as DropStmt;
      const type = drop.removeType ?? "";
      if (type === "OBJECT_INDEX") {
        if (!drop.concurrent)
          return state.lockTimeout ? ["drop-index-not-concurrent"] : ["drop-index-not-concurrent", "missing-lock-timeout"];
        return state.transactional ? ["concurrently-in-transaction"] : [];
      }
      if (!DROP_TABLE_TYPES.has(type)) return ["drop-object"];
      const names = (drop.objects ?? []).map((o) => (unwrap(o)[1].items as Node[] | undefined)?.map((n) => unwrap(n)[1].sval).at(-1));
      if (names.every((name) => state.newTables.has(name as string))) return [];
      return state.lockTimeout ? ["drop-table"] : ["drop-table", "missing-lock-timeout"];
    }
    case "TruncateStmt": {
      const relations = ((body as { relations?: Node[] }).relations ?? []).map((r) => unwrap(r)[1] as RangeVar);
      if (relations.every(isNew)) return [];
      return state.lockTimeout ? ["truncate"] : ["truncate", "missing-lock-timeout"];
    }
    case "AlterEnumStmt":
      return (body as { oldVal?: string }).oldVal ? ["change-type"] : [];
    case "CreateTrigStmt":
      return onTable((body as { relation?: RangeVar }).relation, []);
    case "LockStmt":
      return state.lockTimeout ? [] : ["missing-lock-timeout"];
    case "DoStmt":
    case "CallStmt":
    case "ExecuteStmt":
      return ["dynamic-sql"];
    case "VacuumStmt": {
      const options = ((body as { options?: Node[] }).options ?? []).map((o) => unwrap(o)[1].defname);
      return options.includes("full") ? ["rewrites-table"] : [];
    }
    case "ClusterStmt":
      return ["rewrites-table"];
    case "ReindexStmt": {
      const params = ((body as { params?: Node[] }).params ?? []).map((o) => unwrap(o)[1].defname);
      if (!params.includes("concurrently")) return ["rewrites-table"];
      return state.transactional ? ["concurrently-in-transaction"] : [];
    }
    case "RefreshMatViewStmt":
      // Unlike index builds, REFRESH … CONCURRENTLY may run inside a transaction.
      return (body as { concurrent?: boolean }).concurrent ? [] : ["rewrites-table"];
    default:
      return EXPAND_STATEMENTS.has(kind) ? [] : ["unknown-statement"];
  }
}
