import { describe, expect, it } from "vitest";
import { runUrl } from "../src/github-context.js";

describe("runUrl", () => {
  it("links to the run, and to the attempt after the first", () => {
    const github = { serverUrl: "https://github.com/", repository: "acme/shop", runId: "42" };
    expect(runUrl(github)).toBe("https://github.com/acme/shop/actions/runs/42");
    expect(runUrl({ ...github, runAttempt: "1" })).toBe("https://github.com/acme/shop/actions/runs/42");
    expect(runUrl({ ...github, runAttempt: "3" })).toBe("https://github.com/acme/shop/actions/runs/42/attempts/3");
  });

  it("is undefined without a repository or a run id", () => {
    expect(runUrl({ serverUrl: "https://github.com", runId: "42" })).toBeUndefined();
    expect(runUrl({ serverUrl: "https://github.com", repository: "acme/shop" })).toBeUndefined();
  });
});
