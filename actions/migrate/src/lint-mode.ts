import { ConfigError } from "@cutover/core";
import {
  assertLintGate,
  gateFindings,
  lintPending,
  loadMigrations,
  type PlannedMigration,
  parseDatabaseUrl,
  type SqlDialect,
} from "@cutover/migrations";
import type { ActionInputs, Logger } from "@cutover/runner";
import { annotateFindings } from "./finding-annotations.js";
import type { migrate } from "./inputs.js";
import type { MigrateReport } from "./migration-report.js";

type Inputs = ActionInputs<typeof migrate.inputs>;

/** The dialect to lint: the dialect input, else the database-url's kind, else PostgreSQL; the two must agree. */
export function dialectOf(inputs: Inputs, url: string | undefined): SqlDialect {
  const fromUrl = url ? parseDatabaseUrl(url).kind : undefined;
  if (inputs.dialect && fromUrl && inputs.dialect !== fromUrl) {
    throw ConfigError.single({
      input: "dialect",
      path: "",
      given: inputs.dialect,
      expected: `${fromUrl}, the kind of database database-url points at (or leave dialect out)`,
    });
  }
  return inputs.dialect ?? fromUrl ?? "postgres";
}

/** mode: lint — no database: lints the files in dir, annotates each finding on its line, fails on refused ones. */
export async function runLint(inputs: Inputs, url: string | undefined, report: MigrateReport, log: Logger): Promise<void> {
  const dialect = dialectOf(inputs, url);
  const base = inputs["base-schema"];
  const set = await loadMigrations(inputs["migrations-dir"]);
  if (base !== undefined && base !== 0n && !set.migrations.some((m) => m.version === base)) {
    throw ConfigError.single({
      input: "base-schema",
      path: "",
      given: String(base),
      expected: `the version of a migration file in ${inputs["migrations-dir"]} (or 0 when the database has none applied)`,
    });
  }
  // With a base version the files above it are one pending batch; without, no file may rely on another's new tables.
  const planned: PlannedMigration[] =
    base === undefined
      ? (await Promise.all(set.migrations.map((m) => lintPending([m], dialect)))).flat()
      : await lintPending(
          set.migrations.filter((m) => m.version > base),
          dialect,
        );
  const policy = { allowContract: inputs["allow-contract"], refuseLockHazards: inputs["lock-hazards"] === "refuse" };
  const refused = new Set(gateFindings(planned, policy).map((r) => r.finding));
  report.database = `${dialect} (lint only, no database)`;
  report["schema-before"] = base === undefined ? undefined : String(base);
  report.pending = planned.length;
  report.compatibility = planned.length === 0 ? "none" : planned.some((p) => p.lint.compatibility === "contract") ? "contract" : "expand";
  report.migrations = planned.map(({ migration, lint }) => {
    report.warnings.push(...lint.warnings.map((w) => `${migration.upFile} ${w}`));
    annotateFindings(log, inputs["migrations-dir"], migration.upFile, lint.findings, refused, true);
    return {
      version: String(migration.version),
      file: migration.upFile,
      status: "pending",
      compatibility: lint.compatibility,
      transactional: migration.transactional,
      findings: lint.findings,
    };
  });
  report["schema-after"] = planned.at(-1) ? String(planned.at(-1)?.migration.version) : report["schema-before"];
  log.info(`Linted ${planned.length} migration(s) in ${inputs["migrations-dir"]} as ${dialect}: ${refused.size} refused finding(s).`);
  assertLintGate(planned, policy);
}
