import { readdirSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { ActionSpec } from "@cutover/runner";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { readActionMetadata, repoRoot } from "./harness/action-metadata.js";

const actions = readdirSync(join(repoRoot, "actions")).sort();

async function loadSpec(action: string): Promise<ActionSpec<Record<string, z.ZodType>>> {
  const module = (await import(join(repoRoot, "actions", action, "src", "inputs.ts"))) as Record<string, unknown>;
  const spec = Object.values(module).find(
    (value): value is ActionSpec<Record<string, z.ZodType>> =>
      typeof value === "object" && value !== null && "inputs" in value && (value as { name?: string }).name === action,
  );
  if (!spec) throw new Error(`actions/${action}/src/inputs.ts exports no spec named '${action}'`);
  return spec;
}

describe.each(actions)("actions/%s: action.yml and the input schema agree", (action) => {
  const metadata = readActionMetadata(action);

  it("runs on node24 from its committed bundle", () => {
    expect(metadata.runs.using).toBe("node24");
    expect(metadata.runs.main).toBe(`../../dist/${action}/index.js`);
  });

  it("declares the same input names", async () => {
    const spec = await loadSpec(action);
    expect(Object.keys(spec.inputs).sort()).toEqual(Object.keys(metadata.inputs).sort());
  });

  it("declares the same required inputs and defaults", async () => {
    const spec = await loadSpec(action);
    for (const [name, declared] of Object.entries(metadata.inputs)) {
      const schema = spec.inputs[name] as z.ZodType;
      const absent = schema.safeParse(undefined);
      const runnerProvided = declared.default?.includes("${{");
      if (declared.required && declared.default === undefined) {
        expect(absent.success, `${name} is required in action.yml, so the schema must reject a missing value`).toBe(false);
      } else if (declared.default !== undefined && !runnerProvided) {
        const fromDefault = schema.safeParse(declared.default);
        expect(fromDefault.success, `${name}: action.yml default '${declared.default}' must be valid`).toBe(true);
        expect(absent.success, `${name}: the schema must have a default`).toBe(true);
        expect(
          isDeepStrictEqual(absent.data, fromDefault.data),
          `${name}: schema default ${JSON.stringify(absent.data)} differs from action.yml '${declared.default}'`,
        ).toBe(true);
      } else if (!runnerProvided) {
        expect(absent.success, `${name} is optional in action.yml`).toBe(true);
        expect(absent.data, `${name} has no default in action.yml, so the schema must not invent one`).toBeUndefined();
      }
    }
  });

  it("describes every input and output", () => {
    for (const [name, input] of Object.entries(metadata.inputs)) expect(input.description, `input ${name}`).toBeTruthy();
    for (const [name, output] of Object.entries(metadata.outputs)) expect(output.description, `output ${name}`).toBeTruthy();
  });
});
