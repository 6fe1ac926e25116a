/**
 * GitHub refuses a step summary over 1 MiB (the step's summary is then lost, with an error). Keep
 * well under it, cut at a line, and say so where the reader looks.
 */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 16 * 1024;

export function fitSummary(markdown: string, limitBytes = SUMMARY_LIMIT_BYTES): string {
  const size = Buffer.byteLength(markdown, "utf8");
  if (size <= limitBytes) return markdown;
  const note = (kept: number) =>
    `\n\n> **Summary truncated**: ${kib(kept)} of ${kib(size)} shown (GitHub keeps at most 1 MiB per step). ` +
    "The step's `report` output and its log hold the rest.\n";
  // Room for the note and a closing fence.
  const budget = limitBytes - Buffer.byteLength(note(limitBytes), "utf8") - 8;
  // Cut on a character boundary, then back to the last whole line so no table row or fence is split.
  let cut = Buffer.from(markdown, "utf8")
    .subarray(0, budget)
    .toString("utf8")
    .replace(/\uFFFD+$/, "");
  const lastLine = cut.lastIndexOf("\n");
  if (lastLine > 0) cut = cut.slice(0, lastLine);
  // An open code fence would swallow the note.
  if ((cut.match(/^```/gm) ?? []).length % 2 === 1) cut += "\n```";
  return `${cut}${note(Buffer.byteLength(cut, "utf8"))}`;
}

function kib(bytes: number): string {
  return `${Math.round(bytes / 1024).toLocaleString("en-US")} KiB`;
}
