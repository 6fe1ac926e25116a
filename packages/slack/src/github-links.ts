import type { GitHubContext } from "@cutover/core";

export { runUrl } from "@cutover/core";

/** URLs into the repository on GitHub, or undefined where the context lacks what they need. */
export function repositoryUrl(github: GitHubContext): string | undefined {
  return github.repository ? `${github.serverUrl.replace(/\/+$/, "")}/${github.repository}` : undefined;
}

export function commitUrl(github: GitHubContext): string | undefined {
  const repo = repositoryUrl(github);
  return repo && github.sha ? `${repo}/commit/${github.sha}` : undefined;
}

export function compareUrl(github: GitHubContext, from: string, to: string): string | undefined {
  const repo = repositoryUrl(github);
  return repo ? `${repo}/compare/${encodeURIComponent(from)}...${encodeURIComponent(to)}` : undefined;
}

/** The page with the "Run workflow" button of the repository's rollback workflow. */
export function workflowUrl(github: GitHubContext, workflowFile: string): string | undefined {
  const repo = repositoryUrl(github);
  const file = workflowFile.replace(/^\.github\/workflows\//, "");
  return repo ? `${repo}/actions/workflows/${encodeURIComponent(file)}` : undefined;
}
