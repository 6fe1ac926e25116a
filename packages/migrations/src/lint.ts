import { LINT_RULES, type LintRuleId, type StatementClass } from "./lint-rules.js";
import { type PostgresLintState, postgresStatementRules } from "./postgres-rules.js";
import { type ParsedStatement, type ParseFailure, parsePostgresSql } from "./postgres-statements.js";
import { splitStatements } from "./sql-splitter.js";
import { type SqliteLintState, sqliteStatementRules } from "./sqlite-rules.js";

/** expand: the live color keeps working on the new schema. contract: it may break. */
export type Compatibility = "expand" | "contract";

/** One rule one statement breaks: where, what, why it hurts the live color, and the split that would not. */
export interface LintFinding {
  /** 1-based line in the file where the statement starts. */
  line: number;
  /** The statement, shortened to one line. */
  statement: string;
  rule: LintRuleId;
  class: StatementClass;
  /** What the statement does to the live color. */
  reason: string;
  /** How to do it without hurting the live color (for contract: the expand step now, the contract step later). */
  fix: string;
  /** Set when a marker line before the statement accepted this finding knowingly: the marker's reason. */
  acceptedBecause?: string;
  /** What the accepting marker declared the statement to be (a cannot-judge statement counts as this). */
  acceptedAs?: Compatibility | "lock-ok";
}

export interface LintResult {
  /** contract when any statement is contract, or is cannot-judge and not declared expand by a marker. */
  compatibility: Compatibility;
  /** Every finding, accepted or not. */
  findings: LintFinding[];
  /** Contract and cannot-judge findings no marker accepted: these fail the plan (contract ones unless allow-contract). */
  refused: LintFinding[];
  /** Problems with the markers themselves (a marker without a reason, a marker that accepted nothing). */
  warnings: string[];
}

export type SqlDialect = "postgres" | "sqlite";

export interface LintOptions {
  dialect?: SqlDialect;
  /** Tables created earlier in the plan; shared across the pending migrations of a run and filled as it goes. */
  newTables?: Set<string>;
  /** The file runs in one transaction (default true; false for `-- cutover:no-transaction` files). */
  transactional?: boolean;
  /** PostgreSQL: the file's parse, started ahead (a batch sends every file to the parser at once). */
  parsed?: Promise<ParsedStatement[] | ParseFailure>;
}

export const CONTRACT_OK_MARKER = "cutover:contract-ok";
export const EXPAND_OK_MARKER = "cutover:expand-ok";
export const LOCK_OK_MARKER = "cutover:lock-ok";

/** Which classes each marker accepts, and what the statement then counts as. */
const MARKERS = [
  { marker: CONTRACT_OK_MARKER, accepts: ["contract", "cannot-judge"], as: "contract" },
  { marker: EXPAND_OK_MARKER, accepts: ["cannot-judge"], as: "expand" },
  { marker: LOCK_OK_MARKER, accepts: ["lock-hazard"], as: "lock-ok" },
] as const;

interface RuledStatement {
  line: number;
  text: string;
  comments: string[];
  rules: LintRuleId[];
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

async function postgresStatements(parsing: Promise<ParsedStatement[] | ParseFailure>, state: PostgresLintState): Promise<RuledStatement[]> {
  const parsed = await parsing;
  if (!Array.isArray(parsed)) {
    return [{ line: parsed.line, text: `${LINT_RULES["syntax-error"].reason}: ${parsed.message}`, comments: [], rules: ["syntax-error"] }];
  }
  return parsed.map((s) => ({ line: s.line, text: s.text, comments: s.comments, rules: postgresStatementRules(s.node, state) }));
}

function sqliteStatements(sql: string, newTables: Set<string>): RuledStatement[] {
  const state: SqliteLintState = { newTables, dropped: new Map() };
  return splitStatements(sql).map((s, index) => ({ ...s, rules: sqliteStatementRules(s.text, index, state) }));
}

function isAcceptable(finding: LintFinding): boolean {
  return (LINT_RULES[finding.rule] as { acceptable?: false }).acceptable !== false;
}

/** Findings of one statement, with its markers applied; marker problems go to `warnings`. */
function judge(statement: RuledStatement, warnings: string[]): LintFinding[] {
  const findings: LintFinding[] = statement.rules.map((rule) => ({
    line: statement.line,
    statement: oneLine(statement.text),
    rule,
    class: LINT_RULES[rule].class,
    reason: LINT_RULES[rule].reason,
    fix: LINT_RULES[rule].fix,
  }));
  for (const { marker, accepts, as } of MARKERS) {
    const comment = statement.comments.find((c) => c === marker || c.startsWith(`${marker} `));
    if (comment === undefined) continue;
    const because = comment.slice(marker.length).trim();
    const matching = findings.filter((f) => (accepts as readonly string[]).includes(f.class) && isAcceptable(f));
    if (matching.length === 0) {
      warnings.push(`line ${statement.line}: ${marker} precedes a statement it has nothing to accept`);
    } else if (!because) {
      warnings.push(`line ${statement.line}: ${marker} needs a reason after it, so it does not accept this statement`);
    } else {
      for (const finding of matching) {
        finding.acceptedBecause = because;
        finding.acceptedAs = as;
      }
    }
  }
  return findings;
}

/**
 * Lints one migration file: PostgreSQL through its real parser (libpg_query), SQLite with rules of
 * its own. Statements on tables created earlier in the plan are exempt (`newTables` is shared across
 * the pending migrations of a run). Marker lines before a statement accept its findings knowingly:
 * `-- cutover:contract-ok <reason>`, `-- cutover:expand-ok <reason>`, `-- cutover:lock-ok <reason>`.
 */
export async function lintMigration(sql: string, options: LintOptions = {}): Promise<LintResult> {
  const newTables = options.newTables ?? new Set<string>();
  const statements =
    options.dialect === "sqlite"
      ? sqliteStatements(sql, newTables)
      : await postgresStatements(options.parsed ?? parsePostgresSql(sql), {
          newTables,
          lockTimeout: false,
          transactional: options.transactional ?? true,
        });
  const warnings: string[] = [];
  const findings = statements.flatMap((statement) => judge(statement, warnings));
  const contract = findings.some((f) => f.class === "contract" || (f.class === "cannot-judge" && f.acceptedAs !== "expand"));
  return {
    compatibility: contract ? "contract" : "expand",
    findings,
    refused: findings.filter((f) => f.acceptedBecause === undefined && (f.class !== "lock-hazard" || !isAcceptable(f))),
    warnings,
  };
}

/** Lock-hazard findings no `-- cutover:lock-ok` marker accepted (refused only with lock-hazards: refuse). */
export function unacceptedLockHazards(result: LintResult): LintFinding[] {
  return result.findings.filter((f) => f.class === "lock-hazard" && f.acceptedBecause === undefined && isAcceptable(f));
}
