import type { LintRuleId, StatementClass } from "../src/lint-rules.js";

/** One corpus statement: what the lint must say about it, written from squawk's and strong_migrations' patterns. */
export interface CorpusEntry {
  id: string;
  sql: string;
  class: StatementClass | "expand";
  rules: LintRuleId[];
  /** Statements before it in the same file (their tables count as new). */
  before?: string;
  /** Run outside a transaction (`-- cutover:no-transaction`). */
  noTransaction?: boolean;
  /** Leave out the `SET lock_timeout` every other entry starts with. */
  noLockTimeout?: boolean;
}

type Row = [id: string, sql: string, cls: CorpusEntry["class"], rules: LintRuleId[], extra?: Partial<CorpusEntry>];

const NO_TX = { noTransaction: true };
const NO_LT = { noLockTimeout: true };
const FRESH = { before: "CREATE TABLE fresh (id int, a int, at date, email text);" };

const rows: Row[] = [
  // ── expand ──
  ["create-table", "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL)", "expand", []],
  ["create-table-identity", "CREATE TABLE IF NOT EXISTS audit (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz DEFAULT now())", "expand", []],
  ["create-table-fk", "CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint REFERENCES users (id))", "expand", []],
  ["create-unlogged-table", "CREATE UNLOGGED TABLE cache (k text PRIMARY KEY, v jsonb)", "expand", []],
  ["create-table-as", "CREATE TABLE archive AS SELECT * FROM orders WHERE false", "expand", []],
  ["create-partitioned-table", "CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at)", "expand", []],
  ["create-index-concurrently", "CREATE INDEX CONCURRENTLY users_email ON users (email)", "expand", [], NO_TX],
  ["create-index-concurrently-if-not-exists", "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user ON orders (user_id)", "expand", [], NO_TX],
  ["create-index-concurrently-partial", "CREATE INDEX CONCURRENTLY orders_live ON orders (lower(email)) WHERE deleted_at IS NULL", "expand", [], NO_TX],
  ["create-index-new-table", "CREATE INDEX fresh_at ON fresh (at)", "expand", [], FRESH],
  ["create-unique-index-new-table", "CREATE UNIQUE INDEX fresh_email ON fresh (email)", "expand", [], FRESH],
  ["add-column-nullable", "ALTER TABLE orders ADD COLUMN note text", "expand", []],
  ["add-column-if-not-exists", "ALTER TABLE orders ADD COLUMN IF NOT EXISTS note text", "expand", []],
  ["add-column-not-null-constant-default", "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new'", "expand", []],
  ["add-column-default-now", "ALTER TABLE orders ADD COLUMN created_at timestamptz NOT NULL DEFAULT now()", "expand", []],
  ["add-column-default-current-timestamp", "ALTER TABLE orders ADD COLUMN seen_at timestamptz DEFAULT CURRENT_TIMESTAMP", "expand", []],
  ["add-column-default-array", "ALTER TABLE orders ADD COLUMN flags int[] DEFAULT '{}'", "expand", []],
  ["add-column-default-number", "ALTER TABLE orders ADD COLUMN total numeric(12,2) DEFAULT 0", "expand", []],
  ["add-column-default-cast", "ALTER TABLE orders ADD COLUMN meta jsonb NOT NULL DEFAULT '{}'::jsonb", "expand", []],
  ["add-column-virtual-generated", "ALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS (total * 100) VIRTUAL", "expand", []],
  ["drop-not-null", "ALTER TABLE orders ALTER COLUMN note DROP NOT NULL", "expand", []],
  ["set-default", "ALTER TABLE orders ALTER COLUMN note SET DEFAULT ''", "expand", []],
  ["set-default-volatile", "ALTER TABLE orders ALTER COLUMN token SET DEFAULT gen_random_uuid()", "expand", []],
  ["set-statistics", "ALTER TABLE orders ALTER COLUMN note SET STATISTICS 500", "expand", []],
  ["set-storage", "ALTER TABLE orders ALTER COLUMN note SET STORAGE EXTERNAL", "expand", []],
  ["set-fillfactor", "ALTER TABLE orders SET (fillfactor = 90)", "expand", []],
  ["validate-constraint", "ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk", "expand", []],
  ["unique-using-index", "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email", "expand", []],
  ["primary-key-using-index", "ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id", "expand", []],
  ["enable-trigger", "ALTER TABLE orders ENABLE TRIGGER orders_touch", "expand", []],
  ["rename-constraint", "ALTER TABLE orders RENAME CONSTRAINT a TO b", "expand", []],
  ["rename-index", "ALTER INDEX orders_note RENAME TO orders_note_idx", "expand", []],
  ["enum-add-value", "ALTER TYPE mood ADD VALUE 'meh'", "expand", []],
  ["enum-add-value-after", "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok' AFTER 'meh'", "expand", []],
  ["composite-add-attribute", "ALTER TYPE address ADD ATTRIBUTE zip text", "expand", []],
  ["update-backfill", "UPDATE orders SET note = 'x' WHERE note IS NULL", "expand", []],
  ["insert-seed", "INSERT INTO settings (k, v) VALUES ('a', 'b') ON CONFLICT DO NOTHING", "expand", []],
  ["delete-expired", "DELETE FROM sessions WHERE expires_at < now()", "expand", []],
  ["select", "SELECT 1", "expand", []],
  ["create-view", "CREATE VIEW active_users AS SELECT * FROM users WHERE active", "expand", []],
  ["create-or-replace-view", "CREATE OR REPLACE VIEW v AS SELECT 1 AS one", "expand", []],
  ["create-materialized-view", "CREATE MATERIALIZED VIEW totals AS SELECT user_id, count(*) FROM orders GROUP BY 1", "expand", []],
  ["create-function-sql", "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql AS $$ SELECT a + b $$", "expand", []],
  [
    "create-function-plpgsql",
    "CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END $$",
    "expand",
    [],
  ],
  ["create-trigger", "CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch()", "expand", []],
  ["create-sequence", "CREATE SEQUENCE invoice_numbers START 1000", "expand", []],
  ["alter-sequence", "ALTER SEQUENCE invoice_numbers RESTART WITH 2000", "expand", []],
  ["create-schema", "CREATE SCHEMA IF NOT EXISTS reporting", "expand", []],
  ["create-extension", "CREATE EXTENSION IF NOT EXISTS pgcrypto", "expand", []],
  ["create-enum", "CREATE TYPE mood AS ENUM ('happy', 'sad')", "expand", []],
  ["create-composite-type", "CREATE TYPE address AS (street text, city text)", "expand", []],
  ["create-domain", "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%')", "expand", []],
  ["comment", "COMMENT ON TABLE orders IS 'customer orders'", "expand", []],
  ["grant", "GRANT SELECT ON orders TO reporting", "expand", []],
  ["revoke", "REVOKE INSERT ON orders FROM reporting", "expand", []],
  ["create-policy", "CREATE POLICY own_orders ON orders USING (user_id = 42)", "expand", []],
  ["set-statement-timeout", "SET statement_timeout = '30s'", "expand", []],
  ["set-local-lock-timeout", "SET LOCAL lock_timeout = '2s'", "expand", []],
  ["analyze", "ANALYZE orders", "expand", []],
  ["refresh-concurrently", "REFRESH MATERIALIZED VIEW CONCURRENTLY totals", "expand", []],
  ["reindex-concurrently", "REINDEX INDEX CONCURRENTLY orders_pkey", "expand", [], NO_TX],
  ["drop-index-concurrently", "DROP INDEX CONCURRENTLY IF EXISTS users_name", "expand", [], NO_TX],
  ["drop-new-table", "DROP TABLE fresh", "expand", [], FRESH],
  ["not-null-column-new-table", "ALTER TABLE fresh ADD COLUMN n int NOT NULL", "expand", [], FRESH],
  ["rename-column-new-table", "ALTER TABLE fresh RENAME COLUMN a TO b", "expand", [], FRESH],
  ["type-change-new-table", "ALTER TABLE fresh ALTER COLUMN a TYPE bigint", "expand", [], FRESH],
  ["fk-new-table", "ALTER TABLE fresh ADD CONSTRAINT fresh_user FOREIGN KEY (a) REFERENCES users (id)", "expand", [], FRESH],
  ["truncate-new-table", "TRUNCATE fresh", "expand", [], FRESH],
  ["set-lock-timeout-then-alter", "ALTER TABLE orders ADD COLUMN note text", "expand", [], { noLockTimeout: true, before: "SET lock_timeout = '3s';" }],
  // ── contract ──
  ["drop-table", "DROP TABLE legacy", "contract", ["drop-table"]],
  ["drop-table-cascade", "DROP TABLE IF EXISTS legacy CASCADE", "contract", ["drop-table"]],
  ["drop-view", "DROP VIEW active_users", "contract", ["drop-object"]],
  ["drop-materialized-view", "DROP MATERIALIZED VIEW totals", "contract", ["drop-object"]],
  ["drop-function", "DROP FUNCTION add(int, int)", "contract", ["drop-object"]],
  ["drop-type", "DROP TYPE mood", "contract", ["drop-object"]],
  ["drop-sequence", "DROP SEQUENCE invoice_numbers", "contract", ["drop-object"]],
  ["drop-schema", "DROP SCHEMA reporting CASCADE", "contract", ["drop-object"]],
  ["drop-extension", "DROP EXTENSION pgcrypto", "contract", ["drop-object"]],
  ["drop-trigger", "DROP TRIGGER orders_touch ON orders", "contract", ["drop-object"]],
  ["truncate", "TRUNCATE sessions", "contract", ["truncate"]],
  ["truncate-cascade", "TRUNCATE TABLE carts, cart_items RESTART IDENTITY CASCADE", "contract", ["truncate"]],
  ["drop-column", "ALTER TABLE users DROP COLUMN email", "contract", ["drop-column"]],
  ["drop-column-short", "ALTER TABLE users DROP email", "contract", ["drop-column"]],
  ["drop-column-if-exists", "ALTER TABLE users DROP COLUMN IF EXISTS email CASCADE", "contract", ["drop-column"]],
  ["issue-comment-inside-alter", "ALTER /* note */ TABLE orders DROP COLUMN note", "contract", ["drop-column"]],
  ["drop-column-schema-qualified", 'ALTER TABLE ONLY public."Orders" DROP COLUMN "Note"', "contract", ["drop-column"]],
  ["rename-column", "ALTER TABLE users RENAME COLUMN email TO mail", "contract", ["rename-column"]],
  ["rename-column-short", "ALTER TABLE users RENAME email TO mail", "contract", ["rename-column"]],
  ["rename-table", "ALTER TABLE users RENAME TO people", "contract", ["rename-table"]],
  ["rename-view", "ALTER VIEW active_users RENAME TO live_users", "contract", ["rename-object"]],
  ["rename-function", "ALTER FUNCTION add(int, int) RENAME TO plus", "contract", ["rename-object"]],
  ["rename-type", "ALTER TYPE mood RENAME TO feeling", "contract", ["rename-object"]],
  ["rename-schema", "ALTER SCHEMA reporting RENAME TO bi", "contract", ["rename-object"]],
  ["set-schema", "ALTER TABLE orders SET SCHEMA archive", "contract", ["rename-object"]],
  ["enum-rename-value", "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'", "contract", ["change-type"]],
  ["composite-drop-attribute", "ALTER TYPE address DROP ATTRIBUTE city", "contract", ["change-type"]],
  ["change-column-type", "ALTER TABLE users ALTER COLUMN id TYPE bigint", "contract", ["change-column-type", "column-type-rewrites-table"]],
  ["set-data-type", "ALTER TABLE users ALTER COLUMN id SET DATA TYPE bigint", "contract", ["change-column-type", "column-type-rewrites-table"]],
  [
    "change-column-type-using",
    "ALTER TABLE users ALTER COLUMN name TYPE varchar(200) USING name::varchar(200)",
    "contract",
    ["change-column-type", "column-type-rewrites-table"],
  ],
  ["set-not-null", "ALTER TABLE users ALTER COLUMN email SET NOT NULL", "contract", ["set-not-null", "set-not-null-scans-table"]],
  ["add-not-null-constraint", "ALTER TABLE users ADD CONSTRAINT users_email_nn NOT NULL email", "contract", ["set-not-null", "set-not-null-scans-table"]],
  ["add-required-column", "ALTER TABLE users ADD COLUMN age int NOT NULL", "contract", ["add-not-null-column"]],
  ["add-required-column-null-default", "ALTER TABLE users ADD COLUMN age int NOT NULL DEFAULT NULL", "expand", []],
  ["drop-default", "ALTER TABLE users ALTER COLUMN email DROP DEFAULT", "contract", ["drop-default"]],
  ["drop-identity", "ALTER TABLE users ALTER COLUMN id DROP IDENTITY", "contract", ["drop-default"]],
  ["drop-constraint", "ALTER TABLE users DROP CONSTRAINT users_email_key", "contract", ["drop-constraint"]],
  ["add-check", "ALTER TABLE users ADD CONSTRAINT positive_age CHECK (age > 0)", "contract", ["add-constraint", "constraint-not-valid"]],
  ["add-check-not-valid", "ALTER TABLE users ADD CONSTRAINT positive_age CHECK (age > 0) NOT VALID", "contract", ["add-constraint"]],
  [
    "add-foreign-key",
    "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)",
    "contract",
    ["add-constraint", "constraint-not-valid"],
  ],
  ["add-foreign-key-not-valid", "ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID", "contract", ["add-constraint"]],
  ["add-unique-constraint", "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)", "contract", ["add-constraint", "constraint-builds-index"]],
  ["add-primary-key", "ALTER TABLE users ADD PRIMARY KEY (id)", "contract", ["add-constraint", "constraint-builds-index"]],
  [
    "add-exclusion",
    "ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&)",
    "contract",
    ["add-constraint", "constraint-builds-index"],
  ],
  ["create-unique-index-concurrently", "CREATE UNIQUE INDEX CONCURRENTLY users_email ON users (email)", "contract", ["add-unique-index"], NO_TX],
  ["create-unique-index", "CREATE UNIQUE INDEX users_email ON users (email)", "contract", ["add-unique-index", "index-not-concurrent"]],
  [
    "several-commands",
    "ALTER TABLE users ALTER COLUMN email SET NOT NULL, DROP COLUMN legacy",
    "contract",
    ["set-not-null", "set-not-null-scans-table", "drop-column"],
  ],
  // ── lock hazards ──
  ["create-index", "CREATE INDEX users_name ON users (name)", "lock-hazard", ["index-not-concurrent"]],
  ["create-index-gin", "CREATE INDEX IF NOT EXISTS users_tags ON users USING gin (tags)", "lock-hazard", ["index-not-concurrent"]],
  ["create-index-on-only", "CREATE INDEX events_at ON ONLY events (at)", "lock-hazard", ["index-not-concurrent"]],
  ["drop-index", "DROP INDEX users_name", "lock-hazard", ["drop-index-not-concurrent"]],
  ["drop-indexes", "DROP INDEX IF EXISTS users_name, users_email", "lock-hazard", ["drop-index-not-concurrent"]],
  ["volatile-default-uuid", "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()", "lock-hazard", ["add-column-rewrites-table"]],
  ["volatile-default-random", "ALTER TABLE users ADD COLUMN r float8 DEFAULT random()", "lock-hazard", ["add-column-rewrites-table"]],
  ["volatile-default-clock", "ALTER TABLE users ADD COLUMN seen timestamptz DEFAULT clock_timestamp()", "lock-hazard", ["add-column-rewrites-table"]],
  ["volatile-default-nextval", "ALTER TABLE users ADD COLUMN n bigint DEFAULT nextval('user_numbers')", "lock-hazard", ["add-column-rewrites-table"]],
  ["add-serial-column", "ALTER TABLE users ADD COLUMN n bigserial", "lock-hazard", ["add-column-rewrites-table"]],
  ["add-identity-column", "ALTER TABLE users ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY", "lock-hazard", ["add-column-rewrites-table"]],
  ["add-stored-generated", "ALTER TABLE users ADD COLUMN cents bigint GENERATED ALWAYS AS (price * 100) STORED", "lock-hazard", ["add-column-rewrites-table"]],
  ["add-serial-primary-key", "ALTER TABLE users ADD COLUMN id bigserial PRIMARY KEY", "lock-hazard", ["add-column-rewrites-table", "constraint-builds-index"]],
  ["add-unique-column", "ALTER TABLE users ADD COLUMN code text UNIQUE", "lock-hazard", ["constraint-builds-index"]],
  ["add-column-references", "ALTER TABLE orders ADD COLUMN user_id bigint REFERENCES users (id)", "lock-hazard", ["constraint-not-valid"]],
  ["add-column-check", "ALTER TABLE orders ADD COLUMN qty int CHECK (qty > 0)", "lock-hazard", ["constraint-not-valid"]],
  ["vacuum-full", "VACUUM FULL orders", "lock-hazard", ["rewrites-table"]],
  ["cluster", "CLUSTER orders USING orders_pkey", "lock-hazard", ["rewrites-table"]],
  ["reindex", "REINDEX TABLE orders", "lock-hazard", ["rewrites-table"]],
  ["refresh-materialized-view", "REFRESH MATERIALIZED VIEW totals", "lock-hazard", ["rewrites-table"]],
  ["set-tablespace", "ALTER TABLE orders SET TABLESPACE fast", "lock-hazard", ["rewrites-table"]],
  ["set-logged", "ALTER TABLE orders SET LOGGED", "lock-hazard", ["rewrites-table"]],
  ["concurrently-in-transaction", "CREATE INDEX CONCURRENTLY users_name ON users (name)", "lock-hazard", ["concurrently-in-transaction"]],
  ["drop-concurrently-in-transaction", "DROP INDEX CONCURRENTLY users_name", "lock-hazard", ["concurrently-in-transaction"]],
  ["reindex-concurrently-in-transaction", "REINDEX TABLE CONCURRENTLY orders", "lock-hazard", ["concurrently-in-transaction"]],
  ["no-lock-timeout-add-column", "ALTER TABLE orders ADD COLUMN note text", "lock-hazard", ["missing-lock-timeout"], NO_LT],
  ["no-lock-timeout-create-index", "CREATE INDEX users_name ON users (name)", "lock-hazard", ["index-not-concurrent", "missing-lock-timeout"], NO_LT],
  ["no-lock-timeout-drop-column", "ALTER TABLE users DROP COLUMN email", "contract", ["drop-column", "missing-lock-timeout"], NO_LT],
  ["no-lock-timeout-trigger", "CREATE TRIGGER t BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION touch()", "lock-hazard", ["missing-lock-timeout"], NO_LT],
  ["no-lock-timeout-lock-table", "LOCK TABLE orders IN ACCESS EXCLUSIVE MODE", "lock-hazard", ["missing-lock-timeout"], NO_LT],
  ["no-lock-timeout-drop-table", "DROP TABLE legacy", "contract", ["drop-table", "missing-lock-timeout"], NO_LT],
  [
    "lock-timeout-reset-to-zero",
    "ALTER TABLE orders ADD COLUMN note text",
    "lock-hazard",
    ["missing-lock-timeout"],
    { noLockTimeout: true, before: "SET lock_timeout = '2s'; SET lock_timeout = 0;" },
  ],
  [
    "set-local-outside-transaction",
    "ALTER TABLE orders ADD COLUMN note text",
    "lock-hazard",
    ["missing-lock-timeout"],
    { noLockTimeout: true, noTransaction: true, before: "SET LOCAL lock_timeout = '2s';" },
  ],
  ["no-lock-timeout-new-table", "ALTER TABLE fresh ADD COLUMN note text", "expand", [], { ...FRESH, noLockTimeout: true }],
  ["no-lock-timeout-insert", "INSERT INTO settings (k) VALUES ('a')", "expand", [], NO_LT],
  // ── cannot judge ──
  ["issue-do-execute", "DO $$ BEGIN EXECUTE 'ALTER TABLE orders DROP COLUMN note'; END $$", "cannot-judge", ["dynamic-sql"]],
  ["do-language", "DO LANGUAGE plpgsql $$ BEGIN PERFORM 1; END $$", "cannot-judge", ["dynamic-sql"]],
  ["call-procedure", "CALL backfill_orders()", "cannot-judge", ["dynamic-sql"]],
  ["execute-prepared", "EXECUTE prepared_drop", "cannot-judge", ["dynamic-sql"]],
  ["attach-partition", "ALTER TABLE events ATTACH PARTITION events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')", "cannot-judge", ["unknown-statement"]],
  ["enable-row-level-security", "ALTER TABLE orders ENABLE ROW LEVEL SECURITY", "cannot-judge", ["unknown-statement"]],
  ["inherit", "ALTER TABLE orders INHERIT base_orders", "cannot-judge", ["unknown-statement"]],
  ["create-rule", "CREATE RULE no_delete AS ON DELETE TO orders DO INSTEAD NOTHING", "cannot-judge", ["unknown-statement"]],
  ["alter-system", "ALTER SYSTEM SET work_mem = '1GB'", "cannot-judge", ["unknown-statement"]],
  ["create-publication", "CREATE PUBLICATION orders_pub FOR TABLE orders", "cannot-judge", ["unknown-statement"]],
];

export const POSTGRES_CORPUS: CorpusEntry[] = rows.map(([id, sql, cls, rules, extra]) => ({ id, sql, class: cls, rules, ...extra }));

/** The file a corpus entry is linted as (the same file squawk reads). */
export function corpusFile(entry: CorpusEntry): string {
  const lines = [];
  if (entry.noTransaction) lines.push("-- cutover:no-transaction");
  if (!entry.noLockTimeout) lines.push("SET lock_timeout = '5s';");
  if (entry.before) lines.push(entry.before);
  lines.push(`${entry.sql};`);
  return `${lines.join("\n")}\n`;
}
