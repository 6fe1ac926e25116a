/**
 * What a statement does to the live color: `contract` breaks its reads or writes, `lock-hazard`
 * blocks them (a lock held for a scan, rewrite or index build), `cannot-judge` is SQL the rules
 * cannot see into (dynamic SQL, statements they do not know). Expand statements have no finding.
 */
export type StatementClass = "contract" | "lock-hazard" | "cannot-judge";

/** One rule of the lint: its class, why it hurts the live color, and the split that would not. */
export interface LintRule {
  class: StatementClass;
  reason: string;
  fix: string;
  /** False when no marker can accept it (the statement would fail or cannot be read at all). */
  acceptable?: false;
}

const NOT_VALID_THEN_VALIDATE =
  "add it with NOT VALID (checks new writes only, brief lock), then VALIDATE CONSTRAINT in a later statement or migration (scans without blocking writes)";

/** Every rule by id. The ids are what findings, annotations, the docs and the corpus tests name. */
export const LINT_RULES = {
  // ── contract: the live color's reads or writes fail ──────────────────────────────────────────
  "drop-table": {
    class: "contract",
    reason: "drops a table the live color may still read or write",
    fix: "stop using the table in this release; drop it in a later deployment, once no running color uses it",
  },
  "drop-object": {
    class: "contract",
    reason: "drops an object (view, function, type, sequence, schema…) the live color may still use",
    fix: "stop using it in this release; drop it in a later deployment",
  },
  truncate: {
    class: "contract",
    reason: "deletes every row while the live color is serving from them (and holds an ACCESS EXCLUSIVE lock)",
    fix: "move data removal to a later deployment, after no running color reads it; delete in batches if the table is large",
  },
  "drop-column": {
    class: "contract",
    reason: "drops a column the live color still selects or inserts",
    fix: "release code that no longer uses the column first; drop the column in a later deployment",
  },
  "rename-column": {
    class: "contract",
    reason: "renames a column the live color refers to by its old name",
    fix: "expand: add the new column and write to both (or a trigger copies); contract: drop the old column in a later deployment",
  },
  "rename-table": {
    class: "contract",
    reason: "renames a table the live color refers to by its old name",
    fix: "expand: create the new table (or a view with the new name) and write to both; contract: remove the old name in a later deployment",
  },
  "rename-object": {
    class: "contract",
    reason: "renames an object (view, function, type, sequence, schema…) the live color refers to by its old name",
    fix: "create the new name alongside the old one; remove the old name in a later deployment",
  },
  "change-column-type": {
    class: "contract",
    reason: "changes a column's type under the live color's reads and writes",
    fix: "expand: add a column of the new type, backfill and write to both; contract: drop the old column in a later deployment",
  },
  "set-not-null": {
    class: "contract",
    reason: "makes a column NOT NULL: inserts from the live color that omit it will fail",
    fix: "expand: give the column a DEFAULT and backfill; contract: SET NOT NULL once every running color writes it",
  },
  "drop-default": {
    class: "contract",
    reason: "drops a default the live color relies on when it omits the column",
    fix: "keep the default until no running color omits the column; drop it in a later deployment",
  },
  "drop-constraint": {
    class: "contract",
    reason: "drops a constraint the live color may rely on (uniqueness, references, checks)",
    fix: "drop it in a later deployment, once no running color relies on it",
  },
  "add-constraint": {
    class: "contract",
    reason: "adds a constraint: writes from the live color that violate it will fail",
    fix: "release code that satisfies the constraint first; add the constraint in a later deployment",
  },
  "add-unique-index": {
    class: "contract",
    reason: "adds a unique index: writes from the live color that repeat a value will fail",
    fix: "release code that never writes duplicates first; add the unique index (CONCURRENTLY) in a later deployment",
  },
  "add-not-null-column": {
    class: "contract",
    reason:
      "adds a NOT NULL column without a default: inserts from the live color, which does not know the column, will fail (and the statement fails on a table with rows)",
    fix: "expand: add the column nullable or with a constant DEFAULT and backfill; contract: SET NOT NULL in a later deployment",
  },
  "change-type": {
    class: "contract",
    reason: "renames or removes part of a type (enum value, attribute) the live color reads and writes",
    fix: "add a new value or type instead; remove the old one in a later deployment",
  },
  // ── lock hazards: the live color's queries wait behind a lock ────────────────────────────────
  "index-not-concurrent": {
    class: "lock-hazard",
    reason: "builds an index without CONCURRENTLY: the SHARE lock blocks every write to the table for the whole build",
    fix: "CREATE INDEX CONCURRENTLY in a migration of its own that starts with -- cutover:no-transaction",
  },
  "drop-index-not-concurrent": {
    class: "lock-hazard",
    reason:
      "drops an index without CONCURRENTLY: the ACCESS EXCLUSIVE lock on its table blocks reads and writes, and waits behind every running query",
    fix: "DROP INDEX CONCURRENTLY in a migration of its own that starts with -- cutover:no-transaction",
  },
  "add-column-rewrites-table": {
    class: "lock-hazard",
    reason:
      "adds a column whose value must be computed per row (volatile default, serial, identity or stored generated column): the table is rewritten under an ACCESS EXCLUSIVE lock",
    fix: "add the column nullable (or with a constant default), backfill in batches, then set the default for new rows",
  },
  "column-type-rewrites-table": {
    class: "lock-hazard",
    reason:
      "changing a column's type rewrites the table (and its indexes) under an ACCESS EXCLUSIVE lock, except for a few binary-compatible changes",
    fix: "add a new column of the new type, backfill in batches, switch reads and writes, drop the old column later",
  },
  "set-not-null-scans-table": {
    class: "lock-hazard",
    reason: "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock to check every row",
    fix: `add CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, then SET NOT NULL (PostgreSQL 12+ uses the valid check and skips the scan) and drop the check`,
  },
  "constraint-not-valid": {
    class: "lock-hazard",
    reason:
      "adds a CHECK or FOREIGN KEY that is validated at once: every row is scanned while writes are blocked (a foreign key also locks the referenced table)",
    fix: NOT_VALID_THEN_VALIDATE,
  },
  "constraint-builds-index": {
    class: "lock-hazard",
    reason: "adds a UNIQUE, PRIMARY KEY or EXCLUDE constraint that builds its index under an ACCESS EXCLUSIVE lock",
    fix: "CREATE UNIQUE INDEX CONCURRENTLY first (no-transaction migration), then ADD CONSTRAINT … UNIQUE / PRIMARY KEY USING INDEX",
  },
  "rewrites-table": {
    class: "lock-hazard",
    reason:
      "rewrites or rebuilds the table (VACUUM FULL, CLUSTER, REINDEX, REFRESH MATERIALIZED VIEW, SET TABLESPACE/LOGGED…) under a lock that blocks the live color",
    fix: "use the CONCURRENTLY form where there is one (REINDEX, REFRESH MATERIALIZED VIEW), or run it in a maintenance window outside the deployment",
  },
  "missing-lock-timeout": {
    class: "lock-hazard",
    reason:
      "takes a lock on a table the live color uses, with no lock_timeout set earlier in the file: while it waits behind a long query, every query of the live color queues behind it",
    fix: "start the migration with SET lock_timeout = '5s'; (and let a retry run it again) so a blocked statement fails fast instead of stalling traffic",
  },
  "concurrently-in-transaction": {
    class: "lock-hazard",
    reason: "CONCURRENTLY cannot run inside a transaction block, and this migration runs in one: it would fail",
    fix: "put the statement in a migration of its own whose first line is -- cutover:no-transaction",
    acceptable: false,
  },
  // ── cannot judge: refused until a marker says what it is ─────────────────────────────────────
  "dynamic-sql": {
    class: "cannot-judge",
    reason: "runs SQL the lint cannot see (DO block, procedure call, EXECUTE): it may drop, rename or lock anything",
    fix: "write the statements out as plain SQL, or accept this one with -- cutover:expand-ok <reason> or -- cutover:contract-ok <reason> after reading it",
  },
  "unknown-statement": {
    class: "cannot-judge",
    reason: "a statement the rules do not know: the lint cannot say whether the live color keeps working",
    fix: "accept it with -- cutover:expand-ok <reason> or -- cutover:contract-ok <reason> after checking what it does",
  },
  "syntax-error": {
    class: "cannot-judge",
    reason: "PostgreSQL's parser rejects the file, so the migration would fail",
    fix: "fix the SQL (the message says where)",
    acceptable: false,
  },
  // ── SQLite ───────────────────────────────────────────────────────────────────────────────────
  "sqlite-alter-unsupported": {
    class: "cannot-judge",
    reason: "SQLite's ALTER TABLE only supports RENAME TO, RENAME COLUMN, ADD COLUMN and DROP COLUMN: this statement would fail",
    fix: "change the table with a rebuild (create new table, copy, drop, rename) in a contract deployment, or avoid the change",
    acceptable: false,
  },
  "sqlite-add-column-limits": {
    class: "cannot-judge",
    reason:
      "SQLite cannot ADD COLUMN with PRIMARY KEY or UNIQUE, NOT NULL without a non-null default, or a non-constant default: this statement would fail",
    fix: "add the column nullable or with a constant default; add a unique index separately (CREATE UNIQUE INDEX is contract)",
    acceptable: false,
  },
  "sqlite-table-rebuild": {
    class: "contract",
    reason:
      "rebuilds the table (copy into a new table, drop the old one, rename): the live color's writes during the copy are lost and it sees the table vanish",
    fix: "prefer ADD COLUMN (expand); when a rebuild is unavoidable, ship it as a contract deployment of its own",
  },
} as const satisfies Record<string, LintRule>;

export type LintRuleId = keyof typeof LINT_RULES;
