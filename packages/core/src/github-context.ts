/** The workflow run a step belongs to, as the runner describes it (GITHUB_* variables). */
export interface GitHubContext {
  /** e.g. https://github.com; a GitHub Enterprise Server's own URL there. */
  serverUrl: string;
  /** The REST API base, e.g. https://api.github.com. */
  apiUrl?: string;
  /** owner/name */
  repository?: string;
  sha?: string;
  actor?: string;
  /** The full ref (refs/heads/main) and its short name (main). */
  ref?: string;
  refName?: string;
  runId?: string;
  /** The number people see on the run page (#57), unlike the id in its URL. */
  runNumber?: string;
  runAttempt?: string;
  workflow?: string;
}

/** A link to the workflow run (its attempt when not the first), or undefined where the context lacks what it needs. */
export function runUrl(github: GitHubContext): string | undefined {
  if (!github.repository || !github.runId) return undefined;
  const attempt = github.runAttempt && github.runAttempt !== "1" ? `/attempts/${github.runAttempt}` : "";
  return `${github.serverUrl.replace(/\/+$/, "")}/${github.repository}/actions/runs/${github.runId}${attempt}`;
}
