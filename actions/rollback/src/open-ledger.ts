import { ConfigError, type GitHubContext } from "@cutover/core";
import { type DeploymentLedger, FileLedger, GitHubLedger, type LedgerLocation } from "@cutover/ledger";
import { githubClient } from "@cutover/runner/github-client";

/** The ledger the inputs name: GitHub Deployments of this repository, or a JSON file. */
export async function openLedger(
  location: LedgerLocation,
  token: string | undefined,
  { github, signal }: { github: GitHubContext; signal: AbortSignal },
): Promise<DeploymentLedger> {
  if (location.kind === "file") return new FileLedger(location.path, { signal });
  if (!token || token.includes("${{")) {
    throw ConfigError.single({ input: "github-token", path: "", expected: "a token with deployments: write (or ledger: file:<path>)" });
  }
  if (!github.repository) {
    throw ConfigError.single({
      input: "ledger",
      path: "",
      given: '"github"',
      expected: "GITHUB_REPOSITORY in the environment (set by the runner), or file:<path>",
    });
  }
  return new GitHubLedger({ client: await githubClient(token, github), repository: github.repository, signal });
}
