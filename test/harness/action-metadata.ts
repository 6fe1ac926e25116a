import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export const repoRoot = new URL("../../", import.meta.url).pathname;

export interface ActionMetadata {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string; post?: string };
}

/** Reads actions/<name>/action.yml, the single source of truth for inputs and defaults. */
export function readActionMetadata(action: string): ActionMetadata {
  const text = readFileSync(join(repoRoot, "actions", action, "action.yml"), "utf8");
  const metadata = parse(text) as ActionMetadata;
  metadata.inputs ??= {};
  metadata.outputs ??= {};
  return metadata;
}
