import type { GitHubContext } from "@cutover/core";

/** The variable the runner sets for each field of the context. */
const VARIABLES = {
  apiUrl: "GITHUB_API_URL",
  repository: "GITHUB_REPOSITORY",
  sha: "GITHUB_SHA",
  actor: "GITHUB_ACTOR",
  ref: "GITHUB_REF",
  refName: "GITHUB_REF_NAME",
  runId: "GITHUB_RUN_ID",
  runNumber: "GITHUB_RUN_NUMBER",
  runAttempt: "GITHUB_RUN_ATTEMPT",
  workflow: "GITHUB_WORKFLOW",
} as const;

/** The run's GitHub context, from the variables the runner sets for every step; blank ones are left out. */
export function readGitHubContext(env: NodeJS.ProcessEnv): GitHubContext {
  const pick = (name: string) => env[name]?.trim() || undefined;
  const context: GitHubContext = { serverUrl: pick("GITHUB_SERVER_URL") ?? "https://github.com" };
  for (const [key, variable] of Object.entries(VARIABLES)) {
    const value = pick(variable);
    if (value) context[key as keyof typeof VARIABLES] = value;
  }
  return context;
}

/** The variables a step on the runner gets for this context: what readGitHubContext reads back. */
export function githubContextVariables(context: GitHubContext): Record<string, string> {
  const out: Record<string, string> = { GITHUB_SERVER_URL: context.serverUrl };
  for (const [key, variable] of Object.entries(VARIABLES)) {
    const value = context[key as keyof typeof VARIABLES];
    if (value) out[variable] = value;
  }
  return out;
}
