import { ConfigError } from "@cutover/core";
import { type DeploymentLedger, FileLedger, GitHubLedger, type LedgerLocation } from "@cutover/ledger";

/** The ledger the inputs name: GitHub Deployments of this repository, or a JSON file. */
export async function openLedger(location: LedgerLocation, token: string | undefined, signal: AbortSignal): Promise<DeploymentLedger> {
  if (location.kind === "file") return new FileLedger(location.path, { signal });
  if (!token || token.includes("${{")) {
    throw ConfigError.single({ input: "token", path: "", expected: "a GitHub token with deployments: write (or ledger: file:<path>)" });
  }
  const repository = process.env.GITHUB_REPOSITORY;
  if (!repository) {
    throw ConfigError.single({
      input: "ledger",
      path: "",
      given: '"github"',
      expected: "GITHUB_REPOSITORY in the environment (set by the runner), or file:<path>",
    });
  }
  const baseUrl = process.env.GITHUB_API_URL || "https://api.github.com";
  // Octokit and its plugins load only for the GitHub ledger: a file ledger or a bad input never pay for them.
  const { getOctokit } = await import("@actions/github");
  const octokit = getOctokit(token, { baseUrl });
  return new GitHubLedger({ client: octokit, repository, signal });
}

/** A link to this workflow run, as the runner describes it, for the status's log_url. */
export function runUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT } = env;
  if (!GITHUB_SERVER_URL || !GITHUB_REPOSITORY || !GITHUB_RUN_ID) return undefined;
  const attempt = GITHUB_RUN_ATTEMPT && GITHUB_RUN_ATTEMPT !== "1" ? `/attempts/${GITHUB_RUN_ATTEMPT}` : "";
  return `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}${attempt}`;
}
