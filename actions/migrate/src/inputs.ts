import { booleanInput, choiceInput, durationInput, textInput } from "@cutover/core";
import { defineAction } from "@cutover/runner";
import { z } from "zod";
import { migrateInputIssues } from "./input-combinations.js";

/** A built-in migration number (lint's base-schema). */
const migrationNumber = z
  .string()
  .trim()
  .regex(/^\d{1,19}$/, "a migration version: digits only, e.g. 3 or 20260101120000")
  .transform((text) => BigInt(text));

/** A version word, kept as the string it is: digits for the built-in engine (checked with the mode), your tool's own id in command mode. */
const versionWord = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9@._:+-]{1,100}$/, "a version: one word of letters, digits and . _ : + - @, e.g. 3, 0002, ae1027a6acf, -1 or head");

export const migrate = defineAction({
  name: "migrate",
  inputs: {
    "database-url": textInput().optional(),
    mode: choiceInput(["apply", "plan", "down", "lint"], "apply"),
    dialect: choiceInput(["postgres", "sqlite"]).optional(),
    "base-schema": migrationNumber.optional(),
    "lock-hazards": choiceInput(["warn", "refuse"], "warn"),
    "migrations-dir": textInput("migrations"),
    "target-schema": versionWord.optional(),
    "allow-contract": booleanInput("false"),
    "lock-timeout": durationInput("60s", { allowZero: true }),
    "statement-timeout": durationInput().optional(),
    backup: choiceInput(["none", "auto"], "none"),
    "backup-dir": textInput("cutover-backups"),
    "tracking-table": textInput("cutover_migrations").pipe(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?$/, "a table name like cutover_migrations or schema.table"),
    ),
    "migrations-command": textInput().optional(),
    "migrations-version-command": textInput().optional(),
    "migrations-down-command": textInput().optional(),
    "backup-command": textInput().optional(),
  },
  secretInputs: ["database-url"],
  checks: migrateInputIssues,
});
