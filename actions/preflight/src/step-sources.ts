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
  | { value: string }
  /**
   * rollback.yml: the input when given, else the value recorded with the deployments, which only
   * the rollback step knows (`fromJSON(steps.rollback.outputs.settings).<input>`); `standIn`
   * fills it here when it is not given (it was checked when it was recorded).
   */
  | { setting: string; standIn?: string; orInput?: string };

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
  /** The step runs only when one of these workflow inputs is set (neither empty nor false), e.g. migrations-dir. */
  when?: string | readonly string[];
  /** …and this input too (migrate-down-on-failure runs only with migrations). */
  whenAlso?: string;
}

// The router status decides the color at run time; any color fills {color} the same way.
export const COLOR = { value: "blue" };
export const OTHER_COLOR = { value: "green" };
export const AT_RUN_TIME = { value: "filled-at-run-time" };
export const input = (name: string): Source => ({ input: name });
export const setting = (name: string, standIn?: string, orInput?: string): Source => ({
  setting: name,
  ...(standIn ? { standIn } : {}),
  ...(orInput ? { orInput } : {}),
});
