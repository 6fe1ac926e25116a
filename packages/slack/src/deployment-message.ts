import type { GitHubContext } from "@cutover/core";
import type { DeploymentStatus } from "./deployment-status.js";

/** What the runner knows about the workflow run; read from GITHUB_* by the action. */
export type { GitHubContext } from "@cutover/core";

/** Everything the built-in layout shows. Text fields are raw user text; rendering escapes them. */
export interface DeploymentMessage {
  status: DeploymentStatus;
  environment?: string;
  version?: string;
  previousVersion?: string;
  /** Replaces the generated headline (the status emoji stays). */
  title?: string;
  /** Slack mrkdwn written by the user. */
  text?: string;
  /** Extra fields, in order; values are mrkdwn. */
  fields?: [string, string][];
  /** Pinged on failure and rolled-back, already in Slack syntax (`<!subteam^S…>`). */
  mention?: string;
  /** What failed, or why it was rolled back or cancelled. */
  reason?: string;
  durationMs?: number;
  fromColor?: string;
  toColor?: string;
  /** Workflow file in the repository that rolls back, linked on failure. */
  rollbackWorkflow?: string;
  github: GitHubContext;
}
