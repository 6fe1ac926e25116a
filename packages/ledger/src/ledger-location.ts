import { ConfigError } from "@cutover/core";

export type LedgerLocation = { kind: "github" } | { kind: "file"; path: string };

/** Reads the `ledger` input: `github` (the default) or `file:<path>`. */
export function parseLedgerLocation(text: string, input = "ledger"): LedgerLocation {
  const value = text.trim();
  if (value === "" || value === "github") return { kind: "github" };
  if (value.startsWith("file:")) {
    const path = value.slice("file:".length).trim();
    if (path) return { kind: "file", path };
  }
  throw ConfigError.single({
    input,
    path: "",
    given: JSON.stringify(text),
    expected: "github or file:<path>, e.g. file:.cutover/ledger.json",
  });
}
