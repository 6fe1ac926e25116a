import { ConfigError, inputVariable, Redactor, textInput } from "@cutover/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineAction } from "../src/action-spec.js";
import { readGitHubContext } from "../src/github-context.js";
import { readInputs } from "../src/read-inputs.js";

const spec = defineAction({
  name: "example",
  inputs: {
    count: z.coerce.number().int().optional(),
    dir: textInput().optional(),
    "migrate-down": z.enum(["true", "false"]).default("false"),
    ref: textInput().optional(),
  },
  checks: (inputs, github) => [
    ...(inputs["migrate-down"] === "true" && !inputs.dir
      ? [{ input: "dir", path: "", expected: "a directory when migrate-down is true" }]
      : []),
    ...(!(inputs.ref ?? github.refName) ? [{ input: "ref", path: "", expected: "a ref (or GITHUB_REF_NAME)" }] : []),
  ],
});

function issuesOf(env: NodeJS.ProcessEnv) {
  try {
    readInputs(spec, new Redactor(), env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.input}: ${issue.expected}`);
    throw error;
  }
  return [];
}

describe("readInputs with cross-input checks", () => {
  it("reports the checks' issues together with the schema's, before anything runs", () => {
    const issues = issuesOf({ [inputVariable("count")]: "many", [inputVariable("migrate-down")]: "true" });
    expect(issues).toHaveLength(3);
    expect(issues[0]).toMatch(/^count: /);
    expect(issues.slice(1)).toEqual(["dir: a directory when migrate-down is true", "ref: a ref (or GITHUB_REF_NAME)"]);
  });

  it("does not report an input twice when its own value is already wrong", () => {
    const issues = issuesOf({ [inputVariable("ref")]: "   ", GITHUB_REF_NAME: "" });
    expect(issues).toEqual(["ref: a value, or leave the input out for its default"]);
  });

  it("gives the checks the run's GitHub context", () => {
    expect(issuesOf({ GITHUB_REF_NAME: "main" })).toEqual([]);
  });
});

describe("readGitHubContext", () => {
  it("reads the run from the runner's GITHUB_* variables, leaving blank ones out", () => {
    const context = readGitHubContext({
      GITHUB_SERVER_URL: "https://ghes.example",
      GITHUB_API_URL: "https://ghes.example/api/v3",
      GITHUB_REPOSITORY: "acme/shop",
      GITHUB_SHA: "abc1234",
      GITHUB_ACTOR: "octocat",
      GITHUB_REF: "refs/heads/main",
      GITHUB_REF_NAME: "main",
      GITHUB_RUN_ID: "42",
      GITHUB_RUN_NUMBER: "7",
      GITHUB_RUN_ATTEMPT: "2",
      GITHUB_WORKFLOW: " ",
    });
    expect(context).toEqual({
      serverUrl: "https://ghes.example",
      apiUrl: "https://ghes.example/api/v3",
      repository: "acme/shop",
      sha: "abc1234",
      actor: "octocat",
      ref: "refs/heads/main",
      refName: "main",
      runId: "42",
      runNumber: "7",
      runAttempt: "2",
    });
  });

  it("defaults the server to github.com", () => {
    expect(readGitHubContext({})).toEqual({ serverUrl: "https://github.com" });
  });
});

describe("readInputs with an input under its old name", () => {
  const smoke = defineAction({ name: "smoke-test", inputs: { "request-timeout": textInput().default("10s") } });

  it("fails naming the old input and its new name, without quoting the value", () => {
    let error: unknown;
    try {
      readInputs(smoke, new Redactor(), { [inputVariable("timeout")]: "s3cr3t-looking-value" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues).toEqual([expect.objectContaining({ input: "timeout", expected: expect.stringContaining("`request-timeout`") })]);
    expect((error as ConfigError).message).not.toContain("s3cr3t-looking-value");
  });

  it("runs when only the new name is given, and an empty old one is no value", () => {
    const inputs = readInputs(smoke, new Redactor(), { [inputVariable("request-timeout")]: "2s", [inputVariable("timeout")]: "" });
    expect(inputs["request-timeout"]).toBe("2s");
  });
});
