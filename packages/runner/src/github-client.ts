import { getOctokit } from "@actions/github";
import type { GitHubContext } from "@cutover/core";

// A subpath of its own (@cutover/runner/github-client): only the actions that talk to the API bundle @actions/github.

/** A client of the REST API of the GitHub this run belongs to (GITHUB_API_URL: github.com or a GHES). */
export function githubClient(token: string, github: GitHubContext): ReturnType<typeof getOctokit> {
  return getOctokit(token, { baseUrl: github.apiUrl ?? "https://api.github.com" });
}
