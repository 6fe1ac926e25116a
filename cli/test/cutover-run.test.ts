import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../test/harness/action-metadata.js";
import { startTestServer, type TestServer } from "../../test/harness/test-server.js";
import { parseRunArgs, readKeyValueFile } from "../src/run.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer((req, res) => {
    res.statusCode = req.headers.authorization === "Bearer team-s3cret" ? 200 : 401;
    res.end("ok");
  });
});
afterAll(() => server.close());

/** `npx cutover run …` in a team's repository (node 24 from the project's devDependency); async: the test server answers meanwhile. */
function cutover(cwd: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const node = join(repoRoot, "node_modules", ".bin", "node");
  const child = spawn(node, [join(repoRoot, "bin", "cutover.mjs"), ...args], { cwd });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
}

function teamRepo(): string {
  const repo = mkdtempSync(join(tmpdir(), "cutover-team-run-"));
  mkdirSync(join(repo, ".github", "workflows"), { recursive: true });
  writeFileSync(
    join(repo, ".github", "workflows", "smoke.yml"),
    `name: smoke
on:
  workflow_dispatch:
    inputs:
      url: { type: string, required: true }
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: smoke
        uses: acme/cutover/actions/smoke-test@v1
        with:
          url: \${{ inputs.url }}
          headers: "Authorization: Bearer \${{ secrets.API_TOKEN }}"
          retries: "0"
  report:
    needs: check
    runs-on: ubuntu-latest
    steps:
      - run: echo "smoke passed"
`,
  );
  return repo;
}

describe("cutover run", () => {
  it("runs a team's workflow_dispatch workflow with its inputs and a secrets file, cutover's actions from this checkout", async () => {
    const repo = teamRepo();
    writeFileSync(join(repo, ".secrets"), "# for local runs\nAPI_TOKEN='team-s3cret'\n");
    const result = await cutover(
      repo,
      "run",
      ".github/workflows/smoke.yml",
      "--event",
      "workflow_dispatch",
      "--input",
      `url=${server.url}`,
      "--secret-file",
      ".secrets",
    );
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("smoke passed");
    expect(result.stdout).not.toContain("team-s3cret");
  });

  it("runs one job with --job and fails with status 1 when a step fails", async () => {
    const result = await cutover(
      teamRepo(),
      "run",
      ".github/workflows/smoke.yml",
      "--event",
      "workflow_dispatch",
      "--job",
      "check",
      "--input",
      `url=${server.url}`,
      "--secret",
      "API_TOKEN=wrong",
    );
    expect(result.status).toBe(1);
    expect(result.stdout).not.toContain("smoke passed");
  });

  it("reads flags and secrets files strictly, without quoting a secret line back", () => {
    expect(parseRunArgs(["w.yml", "--input", "a=b=c", "--var", "X=1"], "/tmp")).toMatchObject({
      workflow: "w.yml",
      inputs: { a: "b=c" },
      vars: { X: "1" },
    });
    expect(() => parseRunArgs(["w.yml", "--input", "novalue"], "/tmp")).toThrow('--input takes KEY=VALUE, got "novalue"');
    expect(() => parseRunArgs(["--job", "x"], "/tmp")).toThrow("which workflow?");
    const dir = mkdtempSync(join(tmpdir(), "cutover-secrets-"));
    writeFileSync(join(dir, "bad"), "TOKEN=ok\nthis is hunter2\n");
    expect(() => readKeyValueFile(join(dir, "bad"))).toThrow(/line 2 is not KEY=VALUE$/);
    expect(() => parseRunArgs(["w.yml", "--job"], "/tmp")).toThrow("--job takes a value");
    expect(() => parseRunArgs(["w.yml", "--event", "--job", "x"], "/tmp")).toThrow("--event takes a value");
    expect(() => parseRunArgs(["w.yml", "--workspace", "no-such-dir"], dir)).toThrow(
      `--workspace: ${join(dir, "no-such-dir")} is not a directory`,
    );
  });

  it("takes repository variables from --var-file and the workspace from --workspace, later flags winning", () => {
    const dir = mkdtempSync(join(tmpdir(), "cutover-vars-"));
    mkdirSync(join(dir, "team"));
    writeFileSync(join(dir, ".vars"), '# world\nROUTER={"provider":"command"}\nexport URL="http://127.0.0.1:1"\n');
    const command = parseRunArgs(["w.yml", "--var-file", ".vars", "--var", "URL=http://127.0.0.1:2", "--workspace", "team"], dir);
    expect(command).toMatchObject({
      workspace: join(dir, "team"),
      vars: { ROUTER: '{"provider":"command"}', URL: "http://127.0.0.1:2" },
      secrets: {},
    });
  });

  it("a usage error or a refused workflow is one line naming the flag or the place, exit status 2, nothing run", async () => {
    const result = await cutover(teamRepo(), "run", ".github/workflows/smoke.yml", "--workspace", "elsewhere");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^cutover: --workspace: \S+elsewhere is not a directory\n$/);

    const repo = teamRepo();
    writeFileSync(
      join(repo, ".github", "workflows", "matrix.yml"),
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    strategy: { matrix: { x: [1, 2] } }\n    steps:\n      - run: touch ran\n",
    );
    const refused = await cutover(repo, "run", ".github/workflows/matrix.yml", "--event", "push");
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(
      "cutover: jobs.a.strategy: 'strategy' is not supported: matrix and strategy are not run by the local sandbox\n",
    );
    expect(existsSync(join(repo, "ran"))).toBe(false);
  });
});
