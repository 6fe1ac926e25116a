import { booleanInput, choiceInput, durationInput, textInput } from "@cutover/core";
import { defineAction } from "@cutover/runner";
import { z } from "zod";
import { migrateInputIssues } from "./input-combinations.js";

const version = z
  .string()
  .trim()
  .regex(/^\d{1,19}$/, "a migration version: digits only, e.g. 3 or 20260101120000")
  .transform((text) => BigInt(text));

export const migrate = defineAction({
  name: "migrate",
  inputs: {
    "database-url": textInput().optional(),
    mode: choiceInput(["apply", "plan", "down", "lint"], "apply"),
    dialect: choiceInput(["postgres", "sqlite"]).optional(),
    "base-version": version.optional(),
    "lock-hazards": choiceInput(["warn", "refuse"], "warn"),
    dir: textInput("migrations"),
    "to-version": version.optional(),
    "allow-contract": booleanInput("false"),
    "lock-timeout": durationInput("60s", { allowZero: true }),
    "statement-timeout": durationInput().optional(),
    backup: choiceInput(["none", "auto"], "none"),
    "backup-dir": textInput("cutover-backups"),
    "tracking-table": textInput("cutover_migrations").pipe(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?$/, "a table name like cutover_migrations or schema.table"),
    ),
    command: textInput().optional(),
    "version-command": textInput().optional(),
    "down-command": textInput().optional(),
  },
  secretInputs: ["database-url"],
  checks: migrateInputIssues,
});
