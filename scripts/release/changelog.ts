// CHANGELOG.md as Keep a Changelog writes it: an `## [Unreleased]` section, then one
// `## [X.Y.Z] - YYYY-MM-DD` section per release, each with `### Added|Changed|…` lists.

/** The kinds of change Keep a Changelog names, in its order. */
export const CHANGE_KINDS = ["Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface ChangelogSection {
  /** "Unreleased" or a version without the leading v. */
  title: string;
  date: string | undefined;
  /** The section's text below its heading, trimmed. */
  body: string;
  /** List entries per `### Kind` heading. */
  entries: Partial<Record<ChangeKind, string[]>>;
  /** 0-based line of the `## ` heading. */
  line: number;
}

export interface Changelog {
  /** Lines before the first `## ` heading (title and preamble). */
  preamble: string;
  unreleased: ChangelogSection | undefined;
  /** Released sections, newest first, as written. */
  releases: ChangelogSection[];
}

export class ChangelogError extends Error {
  override name = "ChangelogError";
}

const SECTION_HEADING = /^## \[([^\]]+)\](?:\s+-\s+(\d{4}-\d{2}-\d{2}))?\s*$/;

/** Parses CHANGELOG.md; refuses headings and kinds that would make release notes wrong. */
export function parseChangelog(text: string): Changelog {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const starts: { index: number; title: string; date: string | undefined }[] = [];
  lines.forEach((line, index) => {
    if (!line.startsWith("## ")) return;
    const match = SECTION_HEADING.exec(line);
    if (!match)
      throw new ChangelogError(`CHANGELOG.md line ${index + 1}: expected "## [Unreleased]" or "## [X.Y.Z] - YYYY-MM-DD", got "${line}"`);
    starts.push({ index, title: match[1]!, date: match[2] });
  });
  const sections = starts.map((start, i) => {
    const end = starts[i + 1]?.index ?? lines.length;
    return readSection(lines.slice(start.index + 1, end), start.title, start.date, start.index);
  });
  const [first, ...rest] = sections;
  const unreleased = first?.title === "Unreleased" ? first : undefined;
  const releases = unreleased ? rest : sections;
  for (const release of releases) {
    if (release.title === "Unreleased")
      throw new ChangelogError(`CHANGELOG.md line ${release.line + 1}: [Unreleased] must be the first section`);
    if (!release.date)
      throw new ChangelogError(
        `CHANGELOG.md line ${release.line + 1}: release ${release.title} has no date ("## [${release.title}] - YYYY-MM-DD")`,
      );
  }
  return { preamble: lines.slice(0, starts[0]?.index ?? lines.length).join("\n"), unreleased, releases };
}

function readSection(lines: string[], title: string, date: string | undefined, line: number): ChangelogSection {
  const entries: Partial<Record<ChangeKind, string[]>> = {};
  let kind: ChangeKind | undefined;
  lines.forEach((text, offset) => {
    if (text.startsWith("### ")) {
      const name = text.slice(4).trim();
      if (!(CHANGE_KINDS as readonly string[]).includes(name)) {
        throw new ChangelogError(`CHANGELOG.md line ${line + offset + 2}: "### ${name}" is not one of ${CHANGE_KINDS.join(", ")}`);
      }
      kind = name as ChangeKind;
      entries[kind] ??= [];
    } else if (/^[-*] /.test(text)) {
      if (!kind) throw new ChangelogError(`CHANGELOG.md line ${line + offset + 2}: an entry outside a "### Added|Changed|…" list`);
      entries[kind]!.push(text.slice(2).trim());
    }
  });
  return { title, date, body: lines.join("\n").trim(), entries, line };
}

/** True when the section lists at least one change. */
export function hasEntries(section: ChangelogSection | undefined): boolean {
  return section !== undefined && Object.values(section.entries).some((list) => list.length > 0);
}
