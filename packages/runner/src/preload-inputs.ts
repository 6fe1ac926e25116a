import { inputVariable } from "@cutover/core";
import type { z } from "zod";
import type { ActionSpec } from "./action-spec.js";

/**
 * Awaits the spec's preloads of the inputs `env` gives (not blank), each loader once, so that
 * readInputs, which is synchronous, finds loaded whatever those inputs' schemas use.
 */
export async function preloadInputs<Shape extends Record<string, z.ZodType>>(
  spec: ActionSpec<Shape>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const loaders = new Set<() => Promise<unknown>>();
  for (const [name, load] of Object.entries(spec.preload ?? {}) as [string, (() => Promise<unknown>) | undefined][]) {
    if (load && env[inputVariable(name)]?.trim()) loaders.add(load);
  }
  await Promise.all([...loaders].map((load) => load()));
}
