import { fileURLToPath } from "node:url";
import { isParserChild, runParserChild } from "@cutover/migrations/parser-child";

// This bundle also serves as its own `--liftoff-only` PostgreSQL parser child: checked before the
// action is loaded, so the child starts with only the parser (the action is a chunk of its own).
if (isParserChild()) {
  await runParserChild();
} else {
  const { runMigrateStep } = await import("./migrate-step.js");
  await runMigrateStep(fileURLToPath(import.meta.url));
}
