import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../test/harness/action-metadata.js";

/** `npx cutover validate` as a team runs it in its own repository (node 24 from the project's devDependency). */
function cutover(cwd: string, ...args: string[]) {
  const node = join(repoRoot, "node_modules", ".bin", "node");
  return spawnSync(node, [join(repoRoot, "bin", "cutover.mjs"), ...args], { cwd, encoding: "utf8" });
}

function teamRepo(deployYaml: string): string {
  const repo = mkdtempSync(join(tmpdir(), "cutover-team-"));
  mkdirSync(join(repo, ".github", "workflows"), { recursive: true });
  mkdirSync(join(repo, "db", "migrations"), { recursive: true });
  writeFileSync(join(repo, ".github", "workflows", "deploy.yml"), deployYaml);
  return repo;
}

const caller = (extra: string, migrationsDir = "db/migrations") => `name: deploy
on: { push: { branches: [main] } }
jobs:
  production:
    uses: acme/cutover/.github/workflows/deploy.yml@v1
    with:
      environment: production
      version: \${{ github.sha }}
      router: |
        provider: nginx
        upstream-file: /etc/nginx/conf.d/app.conf
        colors: { blue: [127.0.0.1:8081], green: [127.0.0.1:8082] }
      public-url: https://app.example.com
      idle-url: http://{color}.app.internal:8080
      deploy-command: ./deploy.sh
      migrations-dir: ${migrationsDir}
${extra}    secrets:
      database-url: \${{ secrets.DATABASE_URL }}
  smoke:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/cutover/actions/smoke-test@v1
        with:
          url: https://app.example.com
`;

describe("cutover validate", () => {
  it("passes a team's valid workflows and says what it checked", () => {
    const result = cutover(teamRepo(caller("")), "validate");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("✓ .github/workflows/deploy.yml: 2 use(s) of cutover checked");
    expect(result.stdout).not.toContain("::add-mask::");
  });

  it("names each problem, the input and what is expected, and exits 1", () => {
    const result = cutover(
      teamRepo(caller("      slack-mention: '@oncall'\n      bake-duration: soon\n      colour: blue\n")),
      "validate",
      ".github/workflows/deploy.yml",
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("✗ .github/workflows/deploy.yml");
    expect(result.stdout).toContain("deploy.yml call: input 'slack-mention'");
    expect(result.stdout).toContain("deploy.yml call: input 'bake-duration': got \"soon\"");
    expect(result.stdout).toContain("deploy.yml call: input 'colour': deploy.yml has no such input");
    // The caller's own checkout is where migrations-dir must be.
    const missing = cutover(teamRepo(caller("", "db/nope")), "validate");
    expect(missing.stdout).toContain("input 'migrations-dir': got \"db/nope\"; expected a directory of migrations");
  });

  it("explains itself and refuses an unknown command", () => {
    expect(cutover(repoRoot, "--help").stdout).toContain("usage: cutover validate");
    const unknown = cutover(repoRoot, "deploy");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'deploy'");
  });
});
