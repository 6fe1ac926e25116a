/** Escapes text for a GitHub-flavoured markdown table cell. */
export function cell(text: string | number | boolean | undefined): string {
  if (text === undefined || text === "") return " ";
  return String(text).replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

/** A markdown table; the first row is the header. */
export function table(header: readonly string[], rows: readonly (readonly (string | number | boolean | undefined)[])[]): string {
  const lines = [
    `| ${header.map(cell).join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ];
  return `${lines.join("\n")}\n`;
}
