import { Redactor } from "@cutover/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { actionsLogger } from "../src/logger.js";

afterEach(() => vi.restoreAllMocks());

function captured(work: () => void): string {
  const lines: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  work();
  vi.restoreAllMocks();
  return lines.join("");
}

describe("actionsLogger", () => {
  it("redacts every message and annotation title before the runner sees it", () => {
    const redactor = new Redactor();
    redactor.add("s3cret-token");
    const log = actionsLogger(redactor);
    const out = captured(() => {
      log.info("using s3cret-token");
      log.warning("bad s3cret-token", { title: "title s3cret-token", file: "a.sql", startLine: 3 });
      log.notice("plain");
    });
    expect(out).not.toContain("s3cret-token");
    expect(out).toContain("using ***");
    expect(out).toMatch(/::warning title=title \*\*\*,file=a\.sql,line=3::bad \*\*\*/);
    expect(out).toContain("::notice::plain");
  });
});
