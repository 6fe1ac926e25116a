import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RENAMED_INPUTS } from "@cutover/runner";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../harness/action-metadata.js";
import { documentedNames, namesInUse, type Vocabulary } from "./names-in-use.js";
import { namingProblems } from "./naming-problems.js";

const glossary = documentedNames(readFileSync(join(repoRoot, "docs/naming.md"), "utf8"));

/** An input of `action` under another name, as a rename in its action.yml would show it. */
function rename(vocabulary: Vocabulary, action: string, from: string, to: string): void {
  vocabulary.names.get(from)?.delete(action);
  vocabulary.names.set(to, (vocabulary.names.get(to) ?? new Set()).add(action));
  vocabulary.byKind.get(action)?.delete(from);
  vocabulary.byKind.get(action)?.add(to);
}

describe("one name per concept (docs/naming.md)", () => {
  it("every action.yml and workflow uses exactly the names the glossary lists, and no renamed name", () => {
    expect(namingProblems(namesInUse(), glossary.names, glossary.renamed)).toEqual([]);
  });

  it("fails on a deliberately renamed input", () => {
    const vocabulary = namesInUse();
    // smoke-test's request-timeout renamed to a new word, and health-gate's deadline back to its old name.
    rename(vocabulary, "smoke-test", "request-timeout", "req-timeout");
    rename(vocabulary, "health-gate", "deadline", "timeout");
    expect(namingProblems(vocabulary, glossary.names, glossary.renamed)).toEqual([
      "`deadline` is used by notify-slack but docs/naming.md says health-gate, notify-slack",
      "`req-timeout` (smoke-test) is not in docs/naming.md",
      "`request-timeout` is used by health-gate, notify-slack but docs/naming.md says health-gate, notify-slack, smoke-test",
      "`timeout` (health-gate) is not in docs/naming.md",
      "`timeout` was renamed to `deadline` but health-gate uses it again",
    ]);
  });

  it("the renamed inputs the actions refuse are the ones the glossary lists", () => {
    const fromDocs = glossary.renamed
      .filter(({ where }) => !where.includes(" "))
      .map(({ where, old, current }) => `${where}: ${old} → ${current}`)
      .sort();
    const fromRunner = Object.entries(RENAMED_INPUTS)
      .flatMap(([action, renames]) => Object.entries(renames).map(([old, current]) => `${action}: ${old} → ${current}`))
      .sort();
    expect(fromRunner).toEqual(fromDocs);
  });
});
