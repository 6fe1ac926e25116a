import type { GitHubContext } from "@cutover/slack";

/** The run's GitHub context, from the variables the runner sets for every step. */
export function readGitHubContext(env: NodeJS.ProcessEnv = process.env): GitHubContext {
  const pick = (name: string) => (env[name]?.trim() ? env[name]?.trim() : undefined);
  const context: GitHubContext = { serverUrl: pick("GITHUB_SERVER_URL") ?? "https://github.com" };
  const fields = {
    repository: "GITHUB_REPOSITORY",
    sha: "GITHUB_SHA",
    actor: "GITHUB_ACTOR",
    runId: "GITHUB_RUN_ID",
    runNumber: "GITHUB_RUN_NUMBER",
    runAttempt: "GITHUB_RUN_ATTEMPT",
    workflow: "GITHUB_WORKFLOW",
  } as const;
  for (const [key, variable] of Object.entries(fields)) {
    const value = pick(variable);
    if (value) context[key as keyof typeof fields] = value;
  }
  return context;
}
