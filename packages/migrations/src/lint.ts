import { type SqlStatement, splitStatements } from "./sql-splitter.js";

/** expand: the live color keeps working on the new schema. contract: it may break. */
export type Compatibility = "expand" | "contract";

/** Why one statement is a contract change, and how to make it safe. */
export interface LintFinding {
  /** 1-based line in the file where the statement starts. */
  line: number;
  /** The statement, shortened to one line. */
  statement: string;
  /** What the statement does to the live color. */
  reason: string;
  /** How to split it into an expand step now and a contract step in a later deployment. */
  fix: string;
  /** Set when a `-- cutover:contract-ok <reason>` line accepted this statement knowingly. */
  acceptedBecause?: string;
}

export interface LintResult {
  compatibility: Compatibility;
  /** Every contract statement, accepted or not. */
  findings: LintFinding[];
  /** Contract statements no marker accepted: these fail the plan unless allow-contract. */
  refused: LintFinding[];
  /** Problems with the markers themselves (a marker without a reason, a marker before a safe statement). */
  warnings: string[];
}

export const CONTRACT_OK_MARKER = "cutover:contract-ok";

interface Rule {
  pattern: RegExp;
  reason: string;
  fix: string;
  /** The pattern captures the table it changes (the rule is skipped when that table is new). */
  tableGroup?: boolean;
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[\w$]+)`;
const QUALIFIED = String.raw`(${IDENT}(?:\s*\.\s*${IDENT})?)`;
const ALTER_TABLE = String.raw`^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${QUALIFIED}`;

// Ordered: the first rule that matches a statement names the problem.
const CONTRACT_RULES: Rule[] = [
  {
    pattern: new RegExp(String.raw`^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?${QUALIFIED}`, "i"),
    reason: "drops a table the live color may still read or write",
    fix: "stop using the table in this release; drop it in a later deployment, once no running color uses it",
    tableGroup: true,
  },
  {
    pattern: /^DROP\s+(?:MATERIALIZED\s+)?VIEW\b|^DROP\s+(?:FUNCTION|PROCEDURE|SEQUENCE|TYPE|DOMAIN|SCHEMA|EXTENSION)\b/i,
    reason: "drops an object the live color may still use",
    fix: "stop using it in this release; drop it in a later deployment",
  },
  {
    pattern: /^TRUNCATE\b/i,
    reason: "deletes every row while the live color is serving from them",
    fix: "move data removal to a later deployment, after no running color reads it",
  },
  {
    pattern: new RegExp(
      `${ALTER_TABLE}[\\s\\S]*\\bDROP\\s+(?:COLUMN\\s+)?(?!CONSTRAINT\\b|DEFAULT\\b|NOT\\b|IDENTITY\\b|EXPRESSION\\b)${IDENT}`,
      "i",
    ),
    reason: "drops a column the live color still selects or inserts",
    fix: "release code that no longer uses the column first; drop the column in a later deployment",
    tableGroup: true,
  },
  {
    pattern: new RegExp(
      `${ALTER_TABLE}[\\s\\S]*\\bRENAME\\s+(?:COLUMN\\s+)?(?!CONSTRAINT\\b)${IDENT}\\s+TO\\b|${ALTER_TABLE}\\s+RENAME\\s+TO\\b`,
      "i",
    ),
    reason: "renames something the live color refers to by its old name",
    fix: "expand: add the new column or table and write to both (or a view with the old name); contract: remove the old name in a later deployment",
    tableGroup: true,
  },
  {
    pattern: new RegExp(`${ALTER_TABLE}[\\s\\S]*\\bALTER\\s+(?:COLUMN\\s+)?${IDENT}\\s+(?:SET\\s+DATA\\s+)?TYPE\\b`, "i"),
    reason: "changes a column's type under the live color's reads and writes",
    fix: "expand: add a column of the new type, backfill and write to both; contract: drop the old column in a later deployment",
    tableGroup: true,
  },
  {
    pattern: new RegExp(`${ALTER_TABLE}[\\s\\S]*\\bSET\\s+NOT\\s+NULL\\b`, "i"),
    reason: "makes a column NOT NULL: inserts from the live color that omit it will fail",
    fix: "expand: give the column a DEFAULT (or a CHECK … NOT VALID) and backfill; contract: SET NOT NULL once every running color writes it",
    tableGroup: true,
  },
  {
    pattern: new RegExp(`${ALTER_TABLE}[\\s\\S]*\\bALTER\\s+(?:COLUMN\\s+)?${IDENT}\\s+DROP\\s+DEFAULT\\b`, "i"),
    reason: "drops a default the live color relies on when it omits the column",
    fix: "keep the default until no running color omits the column; drop it in a later deployment",
    tableGroup: true,
  },
  {
    pattern: new RegExp(`${ALTER_TABLE}[\\s\\S]*\\bDROP\\s+CONSTRAINT\\b`, "i"),
    reason: "drops a constraint the live color may rely on (uniqueness, references, checks)",
    fix: "drop it in a later deployment, once no running color relies on it",
    tableGroup: true,
  },
  {
    pattern: new RegExp(
      `${ALTER_TABLE}[\\s\\S]*\\bADD\\s+(?:CONSTRAINT\\s+${IDENT}\\s+)?(?:CHECK|UNIQUE|PRIMARY\\s+KEY|FOREIGN\\s+KEY|EXCLUDE)\\b`,
      "i",
    ),
    reason: "adds a constraint: writes from the live color that violate it will fail",
    fix: "release code that satisfies the constraint first; add the constraint in a later deployment",
    tableGroup: true,
  },
  {
    pattern: /^ALTER\s+TYPE\b[\s\S]*\b(?:RENAME\s+VALUE|DROP\s+ATTRIBUTE|RENAME\s+TO|ALTER\s+ATTRIBUTE)\b/i,
    reason: "changes a type the live color reads and writes",
    fix: "add a new value or type instead; remove the old one in a later deployment",
  },
  {
    pattern: /^ALTER\s+(?:VIEW|MATERIALIZED\s+VIEW|FUNCTION|PROCEDURE|SEQUENCE|SCHEMA)\b[\s\S]*\bRENAME\s+TO\b/i,
    reason: "renames an object the live color refers to by its old name",
    fix: "create the new name alongside the old one; remove the old name in a later deployment",
  },
];

const ADD_COLUMN = new RegExp(`${ALTER_TABLE}[\\s\\S]*\\bADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?${IDENT}\\s+([\\s\\S]*)`, "i");
const CREATE_TABLE = new RegExp(
  String.raw`^CREATE\s+(?:(?:GLOBAL|LOCAL)\s+)?(?:TEMP(?:ORARY)?\s+|UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${QUALIFIED}`,
  "i",
);
const UNIQUE_INDEX = new RegExp(String.raw`^CREATE\s+UNIQUE\s+INDEX\b[\s\S]*?\bON\s+(?:ONLY\s+)?${QUALIFIED}`, "i");

/** Unquoted, lower-cased, unqualified name: enough to tell whether a table is new in this batch. */
function tableKey(name: string): string {
  const last = name.split(/\s*\.\s*/).pop() ?? name;
  return last.startsWith('"') ? last.slice(1, -1).replaceAll('""', '"') : last.toLowerCase();
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

/** The contract rule a statement breaks, or undefined when the live color keeps working. */
function contractRule(text: string, newTables: Set<string>): Rule | undefined {
  const created = CREATE_TABLE.exec(text);
  if (created) {
    newTables.add(tableKey(created[1] as string));
    return undefined;
  }
  for (const rule of CONTRACT_RULES) {
    const match = rule.pattern.exec(text);
    if (!match) continue;
    // Alternatives each capture the table in their own group: take whichever matched.
    const table = rule.tableGroup ? match.slice(1).find(Boolean) : undefined;
    // A table created earlier in this batch is unknown to the live color: anything goes.
    if (table && newTables.has(tableKey(table))) return undefined;
    return rule;
  }
  const unique = UNIQUE_INDEX.exec(text);
  if (unique && !newTables.has(tableKey(unique[1] as string))) {
    return {
      pattern: UNIQUE_INDEX,
      reason: "adds a unique index: writes from the live color that repeat a value will fail",
      fix: "release code that never writes duplicates first; add the unique index in a later deployment",
    };
  }
  const added = ADD_COLUMN.exec(text);
  if (added && !newTables.has(tableKey(added[1] as string))) {
    const definition = added[2] as string;
    const notNull = /\bNOT\s+NULL\b/i.test(definition);
    const safe = /\bDEFAULT\b|\bGENERATED\b|\bIDENTITY\b|^\s*(?:BIG|SMALL)?SERIAL\b/i.test(definition);
    if (notNull && !safe) {
      return {
        pattern: ADD_COLUMN,
        reason: "adds a NOT NULL column without a default: inserts from the live color, which does not know the column, will fail",
        fix: "expand: add the column nullable or with a DEFAULT and backfill; contract: SET NOT NULL in a later deployment",
      };
    }
  }
  return undefined;
}

/**
 * Classifies a migration as expand or contract. Statements that touch a table created earlier
 * in the same batch are exempt (`newTables` is shared across the pending migrations of a run).
 * A `-- cutover:contract-ok <reason>` line accepts the statement that follows it.
 */
export function lintMigration(sql: string, newTables: Set<string> = new Set()): LintResult {
  return lintStatements(splitStatements(sql), newTables);
}

export function lintStatements(statements: readonly SqlStatement[], newTables: Set<string> = new Set()): LintResult {
  const findings: LintFinding[] = [];
  const warnings: string[] = [];
  for (const statement of statements) {
    const marker = statement.comments.find((c) => c.startsWith(CONTRACT_OK_MARKER));
    const because = marker?.slice(CONTRACT_OK_MARKER.length).trim();
    const rule = contractRule(statement.text, newTables);
    if (!rule) {
      if (marker) warnings.push(`line ${statement.line}: ${CONTRACT_OK_MARKER} precedes a statement that is not a contract change`);
      continue;
    }
    const finding: LintFinding = { line: statement.line, statement: oneLine(statement.text), reason: rule.reason, fix: rule.fix };
    if (marker && because) finding.acceptedBecause = because;
    else if (marker)
      warnings.push(`line ${statement.line}: ${CONTRACT_OK_MARKER} needs a reason after it, so it does not accept this statement`);
    findings.push(finding);
  }
  return {
    compatibility: findings.length > 0 ? "contract" : "expand",
    findings,
    refused: findings.filter((f) => f.acceptedBecause === undefined),
    warnings,
  };
}
