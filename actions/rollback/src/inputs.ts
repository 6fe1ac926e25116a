import { booleanInput, choiceInput, durationInput, integerInput, structuredInput, textInput, urlInput } from "@cutover/core";
import { expectSchema } from "@cutover/http-checks";
import { COMPATIBILITY, DEPLOYMENT_STATES, MIGRATION_CLASSES, parseLedgerLocation } from "@cutover/ledger";
import { type ActionInputs, defineAction } from "@cutover/runner";
import { routerAccessInputs, routerAccessSecrets, routerSchema, trafficStepInputs } from "@cutover/traffic";
import { z } from "zod";
import { rollbackInputIssues } from "./input-combinations.js";

/** `github` or `file:<path>`, checked with the same rule the engine uses. */
const ledgerInput = textInput("github").transform((text, ctx) => {
  try {
    return parseLedgerLocation(text);
  } catch {
    ctx.addIssue({ code: "custom", message: "github or file:<path>, e.g. file:.cutover/ledger.json" });
    return z.NEVER;
  }
});

/** A git commit id: 7 to 40 hex digits (SHA-1), or 64 (SHA-256). */
const commitSha = z.string().regex(/^(?:[0-9a-f]{7,40}|[0-9a-f]{64})$/i, "a commit SHA: 7 to 40 (or 64) hexadecimal digits");

/** A schema version as migrate prints it (digits) or as a team's tool does (alembic's hex ids): one word. */
const schemaVersion = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:+-]{0,99}$/, "a schema version: one word of letters, digits and . _ : + - (at most 100 characters)");

/** `${{ toJSON(inputs) }}`: the workflow's inputs; booleans and numbers as the runner prints them. */
const workflowInputs = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? "" : String(v))),
);

const migrationList = z.array(
  z.strictObject({
    version: z.union([z.string().trim().min(1), z.number().transform(String)]),
    name: z.string().optional(),
    classification: z.enum(MIGRATION_CLASSES),
  }),
);

export const rollback = defineAction({
  name: "rollback",
  inputs: {
    mode: choiceInput(["rollback", "record"], "rollback"),
    environment: z.string().trim().min(1),
    "github-token": textInput().optional(),
    ledger: ledgerInput,
    "target-version": textInput().optional(),
    strategy: choiceInput(["auto", "traffic", "redeploy"], "auto"),
    router: structuredInput(routerSchema).optional(),
    ...routerAccessInputs,
    ...trafficStepInputs,
    "verify-url": urlInput().optional(),
    "verify-expect": structuredInput(expectSchema).optional(),
    "verify-deadline": durationInput("30s"),
    "migrate-down": booleanInput("false"),
    "database-url": textInput().optional(),
    "migrations-dir": textInput().optional(),
    "migrations-down-command": textInput().optional(),
    "migrations-version-command": textInput().optional(),
    "restore-command": textInput().optional(),
    "workflow-inputs": structuredInput(workflowInputs).optional(),
    reason: textInput().optional(),
    status: choiceInput(DEPLOYMENT_STATES).optional(),
    "deployment-id": integerInput({ min: 1 }).optional(),
    version: textInput().optional(),
    ref: textInput().optional(),
    sha: commitSha.optional(),
    color: textInput().optional(),
    "previous-color": textInput().optional(),
    "schema-before": schemaVersion.optional(),
    "schema-after": schemaVersion.optional(),
    compatibility: choiceInput(COMPATIBILITY).optional(),
    migrations: structuredInput(migrationList).optional(),
    backup: textInput().optional(),
    "slack-channel": textInput().optional(),
    "slack-ts": textInput().optional(),
    "environment-url": urlInput().optional(),
    "log-url": urlInput().optional(),
    description: textInput().optional(),
  },
  secretInputs: ["github-token", "database-url", ...routerAccessSecrets],
  checks: rollbackInputIssues,
});

export type RollbackInputs = ActionInputs<typeof rollback.inputs>;
