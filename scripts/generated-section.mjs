// What the docs generators share: table cells, the marked section they own in a markdown file,
// and the write/check verdict (`--check` fails on a stale file; CI runs it).

export const END = "<!-- cutover:end -->";
export const mode = process.argv.includes("--check") ? "check" : "write";

/** Text made safe for one markdown table cell. */
export const cell = (text) =>
  String(text ?? "")
    .replace(/\|/g, "\\|")
    .replace(/\r?\n/g, " ")
    .trim();

/** `doc` with the section between `start` and END replaced by `section` (which holds both markers). */
export function replaceSection(doc, start, section, path) {
  const from = doc.indexOf(start);
  const to = doc.indexOf(END, from);
  if (from === -1 || to === -1) {
    console.error(`${path} has no ${start} … ${END} markers`);
    process.exit(1);
  }
  return doc.slice(0, from) + section + doc.slice(to + END.length);
}

/** Prints what was updated (write) or fails listing what is stale (check). */
export function finish(stale, { checked, stalePrefix }) {
  if (mode === "check" && stale.length > 0) {
    console.error(`${stalePrefix}: ${stale.join(", ")}; run 'npm run docs' and commit.`);
    process.exit(1);
  }
  console.log(mode === "write" ? `updated: ${stale.join(", ") || "nothing"}` : checked);
}
