import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { readActionMetadata, repoRoot } from "../harness/action-metadata.js";

/** Name → where it is used (an action's directory name or a workflow file); and each file's inputs and outputs. */
export interface Vocabulary {
  names: Map<string, Set<string>>;
  /** `smoke-test` → its input names; `migrate output` → its output names; `deploy.yml input` → the workflow's inputs. */
  byKind: Map<string, Set<string>>;
}

export interface RenamedName {
  where: string;
  old: string;
  current: string;
}

export const WORKFLOWS = ["deploy.yml", "rollback.yml"] as const;

/** Every input, output and secret name of every action.yml and reusable workflow, with where it is used. */
export function namesInUse(): Vocabulary {
  const names = new Map<string, Set<string>>();
  const byKind = new Map<string, Set<string>>();
  const use = (name: string, where: string, kind: string) => {
    names.set(name, (names.get(name) ?? new Set()).add(where));
    byKind.set(kind, (byKind.get(kind) ?? new Set()).add(name));
  };
  for (const action of readdirSync(join(repoRoot, "actions")).sort()) {
    const metadata = readActionMetadata(action);
    for (const name of Object.keys(metadata.inputs)) use(name, action, action);
    for (const name of Object.keys(metadata.outputs)) use(name, action, `${action} output`);
  }
  for (const file of WORKFLOWS) {
    const call = (parse(readFileSync(join(repoRoot, ".github/workflows", file), "utf8")) as WorkflowFile).on.workflow_call;
    for (const [kind, section] of [
      ["input", call.inputs],
      ["secret", call.secrets],
      ["output", call.outputs],
    ] as const) {
      for (const name of Object.keys(section ?? {})) use(name, file, `${file} ${kind}`);
    }
  }
  return { names, byKind };
}

interface WorkflowFile {
  on: { workflow_call: { inputs?: object; secrets?: object; outputs?: object } };
}

/** The tables of docs/naming.md: every name with where it is used, and the renamed names. */
export function documentedNames(markdown: string): { names: Map<string, Set<string>>; renamed: RenamedName[] } {
  const section = (title: string) => markdown.split(/^## /m).find((part) => part.startsWith(title)) ?? "";
  const rows = (text: string) =>
    text
      .split("\n")
      .filter((line) => /^\| [`a-z]/.test(line) && !/^\| (name|where) \|/.test(line))
      .map((line) =>
        line
          .split("|")
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
  const names = new Map<string, Set<string>>();
  for (const [name, , where] of rows(section("Every name"))) {
    names.set(unquote(name as string), new Set((where as string).split(",").map((w) => w.trim())));
  }
  const renamed = rows(section("Renamed")).map(([where, old, current]) => ({
    where: where as string,
    old: unquote(old as string),
    current: unquote(current as string),
  }));
  return { names, renamed };
}

function unquote(cell: string): string {
  return cell.replace(/^`|`$/g, "");
}
