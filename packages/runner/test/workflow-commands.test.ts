import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// The reference: what the runner boundary wrote before it wrote the protocol itself.
import * as core from "@actions/core";
import { parseCommandLine, parseFileCommands } from "@cutover/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { addMask, annotate, appendSummary, debug, getState, group, info, saveState, setOutput } from "../src/workflow-commands.js";

const ENV_NAMES = ["GITHUB_OUTPUT", "GITHUB_STATE", "GITHUB_STEP_SUMMARY", "STATE_dirs"] as const;
let dir: string;
let saved: Record<string, string | undefined>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "workflow-commands-"));
  saved = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(dir, { recursive: true, force: true });
});

/** What `work` wrote to stdout. */
async function stdoutOf(work: () => unknown): Promise<string> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return chunks.join("");
}

/** A file command file's text after `work`, with the random heredoc delimiters made comparable. */
function fileAfter(variable: "GITHUB_OUTPUT" | "GITHUB_STATE", work: () => void): string {
  const path = join(dir, `${variable}-${Math.random()}`);
  writeFileSync(path, "");
  process.env[variable] = path;
  work();
  return readFileSync(path, "utf8").replace(/ghadelimiter_[0-9a-f-]{36}/g, "ghadelimiter_<uuid>");
}

const AWKWARD = ["plain", "", "100% done", "two\nlines\r\nthree", "a:b,c=d", "%0A is not a newline", "ends with newline\n"];

describe("workflow commands, byte for byte as @actions/core writes them", () => {
  it("log lines, debug lines and masks", async () => {
    for (const text of AWKWARD) {
      expect(await stdoutOf(() => info(text))).toBe(await stdoutOf(() => core.info(text)));
      expect(await stdoutOf(() => debug(text))).toBe(await stdoutOf(() => core.debug(text)));
      expect(await stdoutOf(() => addMask(text))).toBe(await stdoutOf(() => core.setSecret(text)));
    }
  });

  it("annotations with and without properties, escaped where the runner would split them", async () => {
    const properties: core.AnnotationProperties[] = [
      {},
      { title: "a title: with, separators" },
      { title: "" },
      { title: undefined },
      { file: "db/migrate/001.sql", startLine: 3 },
      { title: "t", file: "f.sql", startLine: 1, endLine: 2, startColumn: 3, endColumn: 4 },
      { startLine: 0 },
      { title: "100%\nsure" },
    ];
    const reference = { error: core.error, warning: core.warning, notice: core.notice };
    for (const level of ["error", "warning", "notice"] as const) {
      for (const text of AWKWARD) {
        expect(await stdoutOf(() => annotate(level, text))).toBe(await stdoutOf(() => reference[level](text)));
        for (const props of properties) {
          expect(await stdoutOf(() => annotate(level, text, props))).toBe(await stdoutOf(() => reference[level](text, props)));
        }
      }
    }
    const line = (await stdoutOf(() => annotate("error", "a\nb", { title: "x: y, z", file: "f", startLine: 7 }))).trimEnd();
    expect(parseCommandLine(line)).toEqual({
      kind: "annotation",
      annotation: { level: "error", message: "a\nb", properties: { title: "x: y, z", file: "f", line: "7" } },
    });
  });

  it("groups: the title, the body's result, and the end of the group even when the body throws", async () => {
    const ours = await stdoutOf(async () => {
      expect(await group("a: b\nc", async () => 42)).toBe(42);
      await expect(group("fails", async () => Promise.reject(new Error("no")))).rejects.toThrow("no");
    });
    const theirs = await stdoutOf(async () => {
      await core.group("a: b\nc", async () => 42);
      await core.group("fails", async () => Promise.reject(new Error("no"))).catch(() => undefined);
    });
    expect(ours).toBe(theirs);
  });

  it("outputs and state as heredocs in GITHUB_OUTPUT / GITHUB_STATE", () => {
    for (const value of AWKWARD) {
      expect(fileAfter("GITHUB_OUTPUT", () => setOutput("report", value))).toBe(
        fileAfter("GITHUB_OUTPUT", () => core.setOutput("report", value)),
      );
      expect(fileAfter("GITHUB_STATE", () => saveState("dirs", value))).toBe(
        fileAfter("GITHUB_STATE", () => core.saveState("dirs", value)),
      );
    }
    const text = fileAfter("GITHUB_OUTPUT", () => {
      setOutput("a", "one\ntwo");
      setOutput("b", "");
    });
    expect(parseFileCommands(text)).toEqual({ a: "one\ntwo", b: "" });
  });

  it("outputs and state on stdout when the runner gives no file; a missing file is an error", async () => {
    delete process.env.GITHUB_OUTPUT;
    delete process.env.GITHUB_STATE;
    expect(await stdoutOf(() => setOutput("o", "v\n1"))).toBe(await stdoutOf(() => core.setOutput("o", "v\n1")));
    expect(await stdoutOf(() => saveState("s", "v:1"))).toBe(await stdoutOf(() => core.saveState("s", "v:1")));
    process.env.GITHUB_OUTPUT = join(dir, "absent");
    expect(() => setOutput("o", "v")).toThrow(`Missing file at path: ${join(dir, "absent")}`);
    expect(() => core.setOutput("o", "v")).toThrow(`Missing file at path: ${join(dir, "absent")}`);
  });

  it("reads state the main step saved", () => {
    process.env.STATE_dirs = '["/tmp/x"]';
    expect(getState("dirs")).toBe(core.getState("dirs"));
    delete process.env.STATE_dirs;
    expect(getState("dirs")).toBe("");
  });

  it("appends to the step summary with a newline, and fails as core does without one", async () => {
    const ours = join(dir, "ours.md");
    const theirs = join(dir, "theirs.md");
    writeFileSync(ours, "before\n");
    writeFileSync(theirs, "before\n");
    process.env.GITHUB_STEP_SUMMARY = ours;
    await appendSummary("# one");
    await appendSummary("two\n");
    process.env.GITHUB_STEP_SUMMARY = theirs;
    await core.summary.addRaw("# one", true).write();
    await core.summary.addRaw("two\n", true).write();
    expect(readFileSync(ours, "utf8")).toBe(readFileSync(theirs, "utf8"));

    delete process.env.GITHUB_STEP_SUMMARY;
    await expect(appendSummary("x")).rejects.toThrow("Unable to find environment variable for $GITHUB_STEP_SUMMARY");
    process.env.GITHUB_STEP_SUMMARY = join(dir, "missing", "summary.md");
    await expect(appendSummary("x")).rejects.toThrow(`Unable to access summary file: '${join(dir, "missing", "summary.md")}'`);
  });
});
