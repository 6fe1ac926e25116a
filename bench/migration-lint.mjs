// Migration lint figures, cutover against squawk (npm squawk-cli's native binary), on the same files:
//  1. the lint corpus (packages/migrations/test/lint-corpus.ts, one file per statement) and
//  2. one 5,000-line migration;
// each (a) as a team meets it in a pull request: a whole process, the migrate bundle with
// mode: lint against the squawk binary, interleaved runs, medians and the ratio; and (b) the
// engine's lintMigration in-process (parser loaded once), which is the part cold start does not hide.
//  3. the migrate bundle's cold start: no inputs (exits on the config error), and mode lint on one
//     small file as SQLite (parser never loaded) and as PostgreSQL (parser loaded); with
//     BEFORE=<dir holding an older dist/migrate/index.js> it also starts that one, interleaved.
// Run: npm run bench -- migration-lint   (RUNS=… to change the repeats)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { lintMigration } from "../packages/migrations/src/lint.ts";
import { corpusFile, POSTGRES_CORPUS } from "../packages/migrations/test/lint-corpus.ts";

const root = new URL("..", import.meta.url).pathname;
const RUNS = Number(process.env.RUNS ?? 11);
const require = createRequire(import.meta.url);
const squawkBin = join(dirname(require.resolve(`@squawk-cli/${process.platform}-${process.arch}/package.json`)), "bin", "squawk");
const bundle = join(root, "dist", "migrate", "index.js");

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const work = mkdtempSync(join(tmpdir(), "cutover-bench-lint-"));

// This machine is shared: wall time mostly measures the wait for a core. GNU time adds the CPU
// time (user + sys) each process used, which the contention does not inflate.
const GNU_TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** Wall and CPU milliseconds of one whole process, from spawn to exit. */
function wall(command, args, env = {}, cwd = work) {
  const cpuFile = join(work, "cpu");
  const [bin, argv] = GNU_TIME ? [GNU_TIME, ["-o", cpuFile, "-f", "%U %S", command, ...args]] : [command, args];
  const started = process.hrtime.bigint();
  const result = spawnSync(bin, argv, { cwd, env: { PATH: process.env.PATH, ...env }, encoding: "utf8", maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.error) throw result.error;
  const cpu = GNU_TIME
    ? readFileSync(cpuFile, "utf8")
        .trim()
        .split(/\s+/)
        .slice(-2)
        .reduce((sum, s) => sum + Number(s) * 1000, 0)
    : Number.NaN;
  return { wall: ms, cpu };
}

/** The migrate bundle as the runner starts it, with real GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files. */
function migrate(script, inputs) {
  const files = { GITHUB_OUTPUT: join(work, "out"), GITHUB_STEP_SUMMARY: join(work, "summary"), GITHUB_STATE: join(work, "state") };
  for (const f of Object.values(files)) writeFileSync(f, "");
  const env = { ...files, INPUT_MODE: "lint", "INPUT_LOCK-HAZARDS": "warn", "INPUT_ALLOW-CONTRACT": "false" };
  for (const [k, v] of Object.entries({ "TRACKING-TABLE": "cutover_migrations", "LOCK-TIMEOUT": "60s", BACKUP: "none", "BACKUP-DIR": "b" }))
    env[`INPUT_${k}`] = v;
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return wall(process.execPath, [script], env);
}

/** Interleaved runs of named tasks; median wall and CPU ms of each. */
function interleaved(tasks) {
  const times = Object.fromEntries(Object.keys(tasks).map((k) => [k, []]));
  for (let i = 0; i < RUNS; i++) for (const [name, task] of Object.entries(tasks)) times[name].push(task());
  return Object.fromEntries(
    Object.entries(times).map(([k, v]) => [k, { wall: median(v.map((t) => t.wall)), cpu: median(v.map((t) => t.cpu)) }]),
  );
}

const show = (t) => `${t.wall.toFixed(0)} ms wall, ${t.cpu.toFixed(0)} ms CPU`;
const ratio = (a, b) => `ratio cutover/squawk ${(a.wall / b.wall).toFixed(1)} wall, ${(a.cpu / b.cpu).toFixed(1)} CPU`;

async function inProcess(sql, runs = RUNS) {
  await lintMigration("SELECT 1"); // load and compile the parser once, outside the timing
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    for (const one of [sql].flat()) await lintMigration(one.sql ?? one, { transactional: !one.noTransaction });
    times.push(performance.now() - started);
  }
  return median(times);
}

try {
  // 1. The corpus: one migration file per statement.
  const corpusDir = join(work, "corpus");
  mkdirSync(corpusDir);
  const names = POSTGRES_CORPUS.map((entry, i) => {
    const name = `${String(i + 1).padStart(4, "0")}_${entry.id.replaceAll("-", "_")}.up.sql`;
    writeFileSync(join(corpusDir, name), corpusFile(entry));
    return name;
  });
  const corpus = interleaved({
    cutover: () => migrate(bundle, { "migrations-dir": corpusDir }),
    squawk: () => wall(squawkBin, ["--reporter", "json", "--assume-in-transaction", ...names], {}, corpusDir),
  });
  const corpusEngine = await inProcess(POSTGRES_CORPUS.map((e) => ({ sql: corpusFile(e), noTransaction: e.noTransaction })));
  console.log(
    `lint the corpus (${POSTGRES_CORPUS.length} statements in ${names.length} files), whole process, median of ${RUNS} interleaved:`,
  );
  console.log(
    `  cutover (dist/migrate, mode: lint) ${show(corpus.cutover)}; squawk ${show(corpus.squawk)}; ${ratio(corpus.cutover, corpus.squawk)}`,
  );
  console.log(`  cutover engine in-process (lintMigration per file, parser loaded): ${corpusEngine.toFixed(1)} ms`);

  // 2. One 5,000-line migration: ALTERs, backfills with quoted semicolons, comments, function bodies, drops.
  const lines = ["SET lock_timeout = '5s';"];
  for (let i = 0; lines.length < 5_000; i++) {
    lines.push(`-- step ${i}`, `ALTER TABLE big ADD COLUMN c${i} text DEFAULT 'a;b';`, `UPDATE big SET c${i} = 'it''s' WHERE id = ${i};`);
    if (i % 50 === 0) lines.push(`CREATE FUNCTION f${i}() RETURNS int AS $$`, "BEGIN RETURN 1; END;", "$$ LANGUAGE plpgsql;");
    if (i % 100 === 0) lines.push(`ALTER TABLE big DROP COLUMN old${i};`, `CREATE INDEX big_c${i} ON big (c${i});`);
  }
  const sql = `${lines.slice(0, 5_000).join("\n")}\n`;
  const bigDir = join(work, "big");
  mkdirSync(bigDir);
  writeFileSync(join(bigDir, "0001_big.up.sql"), sql);
  const big = interleaved({
    cutover: () => migrate(bundle, { "migrations-dir": bigDir }),
    squawk: () => wall(squawkBin, ["--reporter", "json", "--assume-in-transaction", "0001_big.up.sql"], {}, bigDir),
  });
  const bigEngine = await inProcess(sql);
  const findings = (await lintMigration(sql)).findings.length;
  console.log(
    `lint one 5,000-line migration (${(sql.length / 1024).toFixed(0)} KiB, ${findings} findings), whole process, median of ${RUNS} interleaved:`,
  );
  console.log(`  cutover (dist/migrate, mode: lint) ${show(big.cutover)}; squawk ${show(big.squawk)}; ${ratio(big.cutover, big.squawk)}`);
  console.log(
    `  cutover engine in-process: ${bigEngine.toFixed(1)} ms (${Math.round(5_000 / (bigEngine / 1000)).toLocaleString("en")} lines/s)`,
  );

  // 3. Cold start of the migrate bundle, and what loading the parser adds.
  const smallDir = join(work, "small");
  mkdirSync(smallDir);
  writeFileSync(join(smallDir, "0001_add.up.sql"), "ALTER TABLE users ADD COLUMN note text;\n");
  const tasks = {
    "no inputs (config error)": () => migrate(bundle, { mode: "bogus" }),
    "mode lint, 1 file, sqlite (no parser)": () => migrate(bundle, { "migrations-dir": smallDir, dialect: "sqlite" }),
    "mode lint, 1 file, postgres (parser)": () => migrate(bundle, { "migrations-dir": smallDir }),
  };
  if (process.env.BEFORE) tasks["BEFORE bundle, no inputs"] = () => migrate(join(process.env.BEFORE, "index.js"), { mode: "bogus" });
  const cold = interleaved(tasks);
  const size = (f) => `${(statSync(f).size / 1024).toFixed(0)} KiB`;
  console.log(
    `migrate bundle: index.js ${size(bundle)} + libpg-query.wasm ${size(join(dirname(bundle), "libpg-query.wasm"))}; cold start, median of ${RUNS} interleaved:`,
  );
  for (const [name, t] of Object.entries(cold)) console.log(`  ${name.padEnd(40)} ${show(t)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
