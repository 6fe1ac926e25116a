import { describe, expect, it } from "vitest";
import { ChangelogError, parseChangelog } from "../../scripts/release/changelog.js";
import { bumpLevel, latestReleaseTag, nextVersion, planRelease, prepareChangelog } from "../../scripts/release/release-plan.js";

const changelog = (unreleased: string, releases = "## [0.2.0] - 2026-11-01\n\n### Added\n- Slack\n") =>
  `# Changelog\n\n## [Unreleased]\n\n${unreleased}\n${releases}`;

describe("parseChangelog", () => {
  it("reads [Unreleased] and the releases with their entries per kind", () => {
    const parsed = parseChangelog(changelog("### Fixed\n- a\n- b\n"));
    expect(parsed.unreleased?.entries).toEqual({ Fixed: ["a", "b"] });
    expect(parsed.releases.map((r) => [r.title, r.date])).toEqual([["0.2.0", "2026-11-01"]]);
    expect(parsed.releases[0]?.body).toBe("### Added\n- Slack");
  });

  it("refuses a kind Keep a Changelog does not name, with its line", () => {
    expect(() => parseChangelog(changelog("### Improved\n- a\n"))).toThrow(/line 5: "### Improved" is not one of Added/);
  });

  it("refuses a release without a date and a malformed heading", () => {
    expect(() => parseChangelog("## [1.0.0]\n### Added\n- x\n")).toThrow(/release 1.0.0 has no date/);
    expect(() => parseChangelog("## 1.0.0 - 2026-01-01\n")).toThrow(ChangelogError);
  });
});

describe("the next version", () => {
  it("is major for Removed or BREAKING, minor for Added/Changed/Deprecated, patch for Fixed/Security", () => {
    const level = (text: string) => bumpLevel(parseChangelog(changelog(text)).unreleased);
    expect(level("### Removed\n- old input\n")).toBe("major");
    expect(level("### Fixed\n- **BREAKING** renamed x\n")).toBe("major");
    expect(level("### Changed\n- y\n### Fixed\n- z\n")).toBe("minor");
    expect(level("### Security\n- z\n")).toBe("patch");
    expect(() => level("")).toThrow(/nothing to release/);
  });

  it("bumps the newest tag, a breaking change before 1.0 bumping the minor", () => {
    const parsed = parseChangelog(changelog("### Removed\n- x\n"));
    expect(nextVersion(parsed, ["v0.2.0", "v0", "v0.10.1", "not-a-tag"], "0.10.1")).toBe("0.11.0");
    expect(nextVersion(parseChangelog(changelog("### Removed\n- x\n")), ["v1.4.2", "v1"], "1.4.2")).toBe("2.0.0");
    expect(nextVersion(parseChangelog(changelog("### Fixed\n- x\n")), ["v1.4.2"], "1.4.2")).toBe("1.4.3");
  });

  it("releases package.json's version first, and takes a requested version only when it is newer", () => {
    const parsed = parseChangelog(changelog("### Added\n- x\n"));
    expect(nextVersion(parsed, [], "0.1.0")).toBe("0.1.0");
    expect(nextVersion(parsed, ["v0.2.0"], "0.2.0", "v1.0.0")).toBe("1.0.0");
    expect(() => nextVersion(parsed, ["v1.0.0"], "1.0.0", "0.9.0")).toThrow(/not newer than the latest release v1.0.0/);
    expect(() => nextVersion(parsed, [], "1.0.0", "one")).toThrow(/expected X.Y.Z/);
  });

  it("orders tags by semantic version, not as text", () => {
    expect(latestReleaseTag(["v1.9.0", "v1.10.0", "v1", "v1.10.0-rc.1"])).toBe("v1.10.0");
    expect(latestReleaseTag(["latest"])).toBeUndefined();
  });
});

describe("prepareChangelog", () => {
  it("moves [Unreleased]'s entries under the new version and leaves [Unreleased] empty", () => {
    const text = changelog("### Fixed\n- a\n");
    const prepared = parseChangelog(prepareChangelog(text, parseChangelog(text), "0.3.0", "2026-12-02"));
    expect(prepared.unreleased?.entries).toEqual({});
    expect(prepared.releases.map((r) => r.title)).toEqual(["0.3.0", "0.2.0"]);
    expect(prepared.releases[0]?.entries).toEqual({ Fixed: ["a"] });
  });
});

describe("planRelease", () => {
  const prepared = parseChangelog(
    changelog("", "## [1.1.0] - 2026-12-02\n\n### Added\n- steps\n\n## [1.0.0] - 2026-11-01\n\n### Added\n- x\n"),
  );

  it("tags the newest section and moves the major tag", () => {
    expect(planRelease(prepared, ["v1.0.0", "v1"], "1.1.0")).toEqual({
      version: "1.1.0",
      tag: "v1.1.0",
      majorTag: "v1",
      previousTag: "v1.0.0",
      notes: "### Added\n- steps",
    });
  });

  it("moves no major tag for a prerelease", () => {
    const rc = parseChangelog("## [2.0.0-rc.1] - 2026-12-02\n\n### Removed\n- x\n");
    expect(planRelease(rc, ["v1.1.0"], "2.0.0-rc.1").majorTag).toBeUndefined();
  });

  it("refuses a section that is already tagged, a package.json that disagrees, and an empty release", () => {
    expect(() => planRelease(prepared, ["v1.1.0"], "1.1.0")).toThrow(/not newer than v1.1.0/);
    expect(() => planRelease(prepared, ["v1.0.0"], "1.0.0")).toThrow(/package.json says version 1.0.0/);
    expect(() => planRelease(parseChangelog("## [3.0.0] - 2026-12-02\n"), [], "3.0.0")).toThrow(/lists no change/);
  });
});

describe("this repository's CHANGELOG.md", () => {
  it("parses, and its newest release agrees with package.json", async () => {
    const { readFileSync } = await import("node:fs");
    const { repoRoot } = await import("../harness/action-metadata.js");
    const parsed = parseChangelog(readFileSync(`${repoRoot}/CHANGELOG.md`, "utf8"));
    const { version } = JSON.parse(readFileSync(`${repoRoot}/package.json`, "utf8"));
    expect(parsed.releases[0]?.title).toBe(version);
  });
});
