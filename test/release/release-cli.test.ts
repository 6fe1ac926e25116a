// The release command on a real git repository with a local bare remote: the dry run computes the
// version and the tag moves and pushes nothing; the real run creates vX.Y.Z and moves vX.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { repoRoot } from "../harness/action-metadata.js";

let dir: string;
let remote: string;
const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();

function release(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    [
      "--experimental-transform-types",
      "--no-warnings",
      "--import",
      join(repoRoot, "scripts/typescript-imports.mjs"),
      join(repoRoot, "scripts/release/release.ts"),
      ...args,
      "--cwd",
      dir,
    ],
    { encoding: "utf8" },
  );
  return { code: result.status, out: result.stdout, err: result.stderr };
}

function commit(file: string, text: string, message: string): string {
  writeFileSync(join(dir, file), text);
  git(dir, "add", ".");
  git(dir, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", message);
  return git(dir, "rev-parse", "HEAD");
}

beforeEach(() => {
  const base = mkdtempSync(join(tmpdir(), "cutover-release-"));
  dir = join(base, "work");
  remote = join(base, "remote.git");
  execFileSync("git", ["init", "-q", "--bare", remote]);
  execFileSync("git", ["init", "-q", "-b", "main", dir]);
  git(dir, "remote", "add", "origin", remote);
  writeFileSync(
    join(dir, "package-lock.json"),
    `${JSON.stringify({ name: "x", version: "1.0.0", packages: { "": { version: "1.0.0" } } }, null, 2)}\n`,
  );
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: "x", version: "1.0.0" }, null, 2)}\n`);
  const first = commit("CHANGELOG.md", "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-11-01\n\n### Added\n- x\n", "1.0.0");
  git(dir, "tag", "-a", "v1.0.0", "-m", "v1.0.0", first);
  git(dir, "tag", "-a", "v1", "-m", "v1", first);
  git(dir, "push", "-q", "origin", "main", "--tags");
});

afterEach(() => rmSync(join(dir, ".."), { recursive: true, force: true }));

it("prepare, then a dry run that moves nothing, then a publish that tags and moves v1 on the remote", () => {
  const v1Before = git(remote, "rev-list", "-n", "1", "v1");
  commit(
    "CHANGELOG.md",
    readFileSync(join(dir, "CHANGELOG.md"), "utf8").replace("## [Unreleased]\n", "## [Unreleased]\n\n### Added\n- traffic steps\n"),
    "feature",
  );

  const prepared = release("prepare", "--date", "2026-12-02");
  expect(prepared.err).toBe("");
  expect(readFileSync(join(dir, "CHANGELOG.md"), "utf8")).toContain(
    "## [Unreleased]\n\n## [1.1.0] - 2026-12-02\n\n### Added\n- traffic steps",
  );
  expect(JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version).toBe("1.1.0");
  expect(JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8")).packages[""].version).toBe("1.1.0");

  expect(release("publish", "--dry-run").err).toMatch(/uncommitted changes/);
  const head = commit("CHANGELOG.md", readFileSync(join(dir, "CHANGELOG.md"), "utf8"), "release 1.1.0");

  const dry = release("publish", "--dry-run");
  expect(dry.code).toBe(0);
  expect(dry.out).toContain(`create v1.1.0 → ${head.slice(0, 12)}`);
  expect(dry.out).toContain(`move   v1: ${v1Before.slice(0, 12)} → ${head.slice(0, 12)}`);
  expect(dry.out).toContain("dry run: would run git push --force origin refs/tags/v1");
  expect(git(dir, "tag", "--list")).toBe("v1\nv1.0.0");
  expect(git(remote, "rev-list", "-n", "1", "v1")).toBe(v1Before);

  const real = release("publish");
  expect(real.err).toBe("");
  expect(git(remote, "rev-list", "-n", "1", "v1.1.0")).toBe(head);
  expect(git(remote, "rev-list", "-n", "1", "v1")).toBe(head);
  expect(git(remote, "tag", "-l", "--format=%(contents)", "v1.1.0")).toContain("- traffic steps");

  const again = release("publish", "--dry-run");
  expect(again.code).toBe(1);
  expect(again.err).toMatch(/newest release 1.1.0 is not newer than v1.1.0/);
});
