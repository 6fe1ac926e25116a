import type { ConfigIssue, GitHubContext } from "@cutover/core";
import type { z } from "zod";

/**
 * Where a step input's value comes from: a workflow input, the first non-empty of several, a
 * secret handed to preflight, or a value the workflow fills at run time (a stand-in here).
 */
export type Source =
  | { input: string }
  | { firstOf: string[] }
  /** The input, passed only when one of `onlyWith` is set, and `alsoWith` too when given (else empty). */
  | { input: string; onlyWith: string[]; alsoWith?: string }
  | { secret: string }
  | { value: string };

/** An action's input declaration (its `ActionSpec`), whatever its inputs. */
export interface StepSpec {
  name: string;
  inputs: Record<string, z.ZodType>;
  secretInputs?: readonly string[];
  // biome-ignore lint/suspicious/noExplicitAny: each action's checks take its own parsed inputs
  checks?: (inputs: any, github: GitHubContext) => ConfigIssue[];
}

export interface WorkflowStep {
  /** The step's name in the workflow, for messages. */
  name: string;
  spec: StepSpec;
  with: Record<string, Source>;
  /** The step runs only when this workflow input is set (e.g. migrations-dir). */
  when?: string;
}

// The router status decides the color at run time; any color fills {color} the same way.
export const COLOR = { value: "blue" };
export const OTHER_COLOR = { value: "green" };
export const AT_RUN_TIME = { value: "filled-at-run-time" };
export const input = (name: string): Source => ({ input: name });
