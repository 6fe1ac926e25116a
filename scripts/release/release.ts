// npm run release -- prepare [--version X.Y.Z] [--date YYYY-MM-DD]
//   moves CHANGELOG.md's [Unreleased] into a version section and sets package.json's version
//   (run it on a branch; the release pull request is that commit).
// npm run release -- plan [--notes-file F] [--github-output]
//   prints the version, the tags and the notes the next release would publish.
// npm run release -- publish [--dry-run] [--remote origin]
//   tags HEAD vX.Y.Z, moves vX to it and pushes both; --dry-run prints the same moves, pushes nothing.
import { execFileSync } from "node:child_process";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ChangelogError, parseChangelog } from "./changelog.js";
import { nextVersion, planRelease, prepareChangelog, type ReleasePlan } from "./release-plan.js";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    version: { type: "string" },
    date: { type: "string" },
    "notes-file": { type: "string" },
    "github-output": { type: "boolean", default: false },
    "dry-run": { type: "boolean", default: false },
    remote: { type: "string", default: "origin" },
    cwd: { type: "string", default: process.cwd() },
  },
});
const root = values.cwd!;

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

function readState() {
  const changelogText = readFileSync(join(root, "CHANGELOG.md"), "utf8");
  const packageJson = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  const tags = git("tag", "--list", "v*").split("\n").filter(Boolean);
  return { changelogText, changelog: parseChangelog(changelogText), packageVersion: packageJson.version, tags };
}

/** package.json and the lockfile's copy of the root version, rewritten as npm writes them. */
function writeVersion(version: string): void {
  const packagePath = join(root, "package.json");
  const pkg = JSON.parse(readFileSync(packagePath, "utf8"));
  pkg.version = version;
  writeFileSync(packagePath, `${JSON.stringify(pkg, null, 2)}\n`);
  const lockPath = join(root, "package-lock.json");
  const lock = JSON.parse(readFileSync(lockPath, "utf8"));
  lock.version = version;
  if (lock.packages?.[""]) lock.packages[""].version = version;
  writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
}

function prepare(): void {
  const { changelogText, changelog, packageVersion, tags } = readState();
  const version = nextVersion(changelog, tags, packageVersion, values.version);
  const date = values.date ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new ChangelogError(`--date: expected YYYY-MM-DD, got "${date}"`);
  writeFileSync(join(root, "CHANGELOG.md"), prepareChangelog(changelogText, changelog, version, date));
  writeVersion(version);
  console.log(`prepared ${version}: CHANGELOG.md and package.json; commit them as the release pull request`);
}

function plan(): ReleasePlan {
  const { changelog, packageVersion, tags } = readState();
  const release = planRelease(changelog, tags, packageVersion);
  const head = git("rev-parse", "HEAD");
  const majorAt = release.majorTag && tags.includes(release.majorTag) ? git("rev-list", "-n", "1", release.majorTag) : undefined;
  console.log(`release ${release.tag} at ${head.slice(0, 12)} (previous: ${release.previousTag ?? "none"})`);
  console.log(`  create ${release.tag} → ${head.slice(0, 12)}`);
  if (release.majorTag) console.log(`  move   ${release.majorTag}: ${majorAt?.slice(0, 12) ?? "(new)"} → ${head.slice(0, 12)}`);
  else console.log("  prerelease: no major tag moves");
  if (values["notes-file"]) writeFileSync(values["notes-file"], `${release.notes}\n`);
  if (values["github-output"] && process.env.GITHUB_OUTPUT) {
    const outputs = {
      version: release.version,
      tag: release.tag,
      "major-tag": release.majorTag ?? "",
      "notes-file": values["notes-file"] ?? "",
    };
    appendFileSync(
      process.env.GITHUB_OUTPUT,
      Object.entries(outputs)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(""),
    );
  }
  return release;
}

function publish(): void {
  if (git("status", "--porcelain") !== "") throw new ChangelogError("the working tree has uncommitted changes: release a clean checkout");
  const release = plan();
  const message = `${release.tag}\n\n${release.notes}\n`;
  const commands: string[][] = [
    ["tag", "-a", release.tag, "-m", message],
    ["push", values.remote!, `refs/tags/${release.tag}`],
    ...(release.majorTag
      ? [
          ["tag", "-f", "-a", release.majorTag, "-m", `${release.majorTag} → ${release.tag}`],
          ["push", "--force", values.remote!, `refs/tags/${release.majorTag}`],
        ]
      : []),
  ];
  for (const args of commands) {
    if (values["dry-run"])
      console.log(`dry run: would run git ${args.map((a) => (a.includes(" ") || a.includes("\n") ? JSON.stringify(a) : a)).join(" ")}`);
    else git(...args);
  }
  console.log(values["dry-run"] ? "dry run: nothing tagged or pushed" : `published ${release.tag}`);
}

const commands: Record<string, () => unknown> = { prepare, plan, publish };
const command = commands[positionals[0] ?? ""];
try {
  if (!command) throw new ChangelogError(`usage: release <prepare|plan|publish> (got "${positionals[0] ?? ""}")`);
  command();
} catch (error) {
  if (!(error instanceof ChangelogError)) throw error;
  console.error(`release: ${error.message}`);
  process.exitCode = 1;
}
