import type { getOctokit } from "@actions/github";
import type { GitHubContext } from "@cutover/core";

// A subpath of its own (@cutover/runner/github-client): only the actions that talk to the API bundle @actions/github.

/**
 * A client of the REST API of the GitHub this run belongs to (GITHUB_API_URL: github.com or a GHES).
 * Octokit and its plugins load on the first call: a file ledger or a bad input never pays for them.
 */
export async function githubClient(token: string, github: GitHubContext): Promise<ReturnType<typeof getOctokit>> {
  const { getOctokit } = await import("@actions/github");
  return getOctokit(token, { baseUrl: github.apiUrl ?? "https://api.github.com" });
}
