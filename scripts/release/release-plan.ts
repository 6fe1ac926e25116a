// What a release is: the version, its tags and notes, decided from CHANGELOG.md, package.json and
// the tags that exist. Pure functions; release.ts runs git.
import semver from "semver";
import { type Changelog, ChangelogError, type ChangelogSection, hasEntries } from "./changelog.js";

export type BumpLevel = "major" | "minor" | "patch";

export interface ReleasePlan {
  version: string;
  /** `vX.Y.Z`, created at the released commit. */
  tag: string;
  /** `vX`, moved to the released commit; undefined for a prerelease, which moves nothing. */
  majorTag: string | undefined;
  /** The newest `vX.Y.Z` tag before this one. */
  previousTag: string | undefined;
  /** The release notes: the changelog section's text. */
  notes: string;
}

const RELEASE_TAG = /^v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/;

/** The newest `vX.Y.Z` tag among `tags`, by semantic version. */
export function latestReleaseTag(tags: string[]): string | undefined {
  const versions = tags.flatMap((tag) => RELEASE_TAG.exec(tag)?.[1] ?? []).filter((v) => semver.valid(v));
  const newest = semver.rsort(versions)[0];
  return newest ? `v${newest}` : undefined;
}

/** The bump [Unreleased] asks for: Removed or a "BREAKING" entry is major, Fixed/Security alone patch. */
export function bumpLevel(unreleased: ChangelogSection | undefined): BumpLevel {
  if (!unreleased || !hasEntries(unreleased)) {
    throw new ChangelogError("nothing to release: [Unreleased] in CHANGELOG.md lists no change");
  }
  const { entries } = unreleased;
  const all = Object.values(entries).flat();
  if ((entries.Removed?.length ?? 0) > 0 || all.some((entry) => /\bBREAKING\b/.test(entry))) return "major";
  if ((entries.Added?.length ?? 0) + (entries.Changed?.length ?? 0) + (entries.Deprecated?.length ?? 0) > 0) return "minor";
  return "patch";
}

/** The version `prepare` writes: `requested` when given, else the latest release bumped as [Unreleased] asks. */
export function nextVersion(changelog: Changelog, tags: string[], packageVersion: string, requested?: string): string {
  const latest = latestReleaseTag(tags)?.slice(1);
  if (requested !== undefined) {
    const version = semver.valid(requested.replace(/^v/, ""));
    if (!version) throw new ChangelogError(`--version: expected X.Y.Z (semantic version), got "${requested}"`);
    if (latest && !semver.gt(version, latest))
      throw new ChangelogError(`--version ${version} is not newer than the latest release v${latest}`);
    bumpLevel(changelog.unreleased);
    return version;
  }
  const level = bumpLevel(changelog.unreleased);
  if (!latest) return packageVersion;
  // Before 1.0.0 a breaking change bumps the minor version, as npm's caret ranges read 0.x.
  const effective = level === "major" && semver.major(latest) === 0 ? "minor" : level;
  return semver.inc(latest, effective)!;
}

/** Moves [Unreleased]'s entries into a `## [version] - date` section, leaving [Unreleased] empty. */
export function prepareChangelog(text: string, changelog: Changelog, version: string, date: string): string {
  if (!changelog.unreleased) throw new ChangelogError('CHANGELOG.md has no "## [Unreleased]" section');
  if (changelog.releases.some((release) => release.title === version)) {
    throw new ChangelogError(`CHANGELOG.md already has a section for ${version}`);
  }
  const lines = text.split("\n");
  lines.splice(changelog.unreleased.line + 1, 0, "", `## [${version}] - ${date}`);
  return lines.join("\n");
}

/** The release to publish: CHANGELOG.md's newest section, which must be newer than every tag. */
export function planRelease(changelog: Changelog, tags: string[], packageVersion: string): ReleasePlan {
  const newest = changelog.releases[0];
  if (!newest) {
    throw new ChangelogError('CHANGELOG.md has no release section yet: run "npm run release -- prepare" and merge the result first');
  }
  const version = semver.valid(newest.title);
  if (!version) throw new ChangelogError(`CHANGELOG.md line ${newest.line + 1}: "${newest.title}" is not a semantic version`);
  const previousTag = latestReleaseTag(tags);
  if (tags.includes(`v${version}`) || (previousTag && !semver.gt(version, previousTag.slice(1)))) {
    throw new ChangelogError(
      `CHANGELOG.md's newest release ${version} is not newer than ${previousTag}: add changes under [Unreleased] and run "npm run release -- prepare"`,
    );
  }
  if (packageVersion !== version) {
    throw new ChangelogError(`package.json says version ${packageVersion}, CHANGELOG.md's newest release is ${version}: they must agree`);
  }
  if (!hasEntries(newest)) throw new ChangelogError(`CHANGELOG.md: release ${version} lists no change`);
  const prerelease = semver.prerelease(version) !== null;
  return { version, tag: `v${version}`, majorTag: prerelease ? undefined : `v${semver.major(version)}`, previousTag, notes: newest.body };
}
