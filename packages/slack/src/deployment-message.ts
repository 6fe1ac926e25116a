import type { DeploymentStatus } from "./deployment-status.js";

/** What the runner knows about the workflow run; read from GITHUB_* by the action. */
export interface GitHubContext {
  serverUrl: string;
  repository?: string;
  sha?: string;
  actor?: string;
  runId?: string;
  /** The number people see on the run page (#57), unlike the id in its URL. */
  runNumber?: string;
  runAttempt?: string;
  workflow?: string;
}

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
