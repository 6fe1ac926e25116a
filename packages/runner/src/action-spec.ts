import type { ConfigIssue, GitHubContext } from "@cutover/core";
import type { z } from "zod";

/** What an action declares about itself; action.yml must agree with it (a test checks). */
export interface ActionSpec<Shape extends Record<string, z.ZodType>> {
  /** The action's directory name, used in every failure message. */
  name: string;
  /** One schema per input, keyed by the input's name in action.yml; each parses the raw string. */
  inputs: Shape;
  /** Inputs that hold secrets: masked the moment they are read; structured ones leaf by leaf. */
  secretInputs?: readonly (keyof Shape & string)[];
  /**
   * Rules between inputs that no single input's schema can see (`migrate-down` needs `dir`). Run
   * on what parsed; their issues are reported together with the schema's, before anything runs.
   */
  checks?: (inputs: ActionInputs<Shape>, github: GitHubContext) => ConfigIssue[];
  /**
   * What an input's schema (or the run after it) needs loaded first, when the input is given: a
   * part of the bundle kept out of its main chunk so every start does not pay for it (the PromQL
   * grammar of `metrics`). Awaited before the schemas run (`preloadInputs`).
   */
  preload?: { readonly [K in keyof Shape & string]?: () => Promise<unknown> };
}

export type ActionInputs<Shape extends Record<string, z.ZodType>> = {
  [K in keyof Shape]: z.output<Shape[K]>;
};

export function defineAction<Shape extends Record<string, z.ZodType>>(spec: ActionSpec<Shape>): ActionSpec<Shape> {
  return spec;
}
