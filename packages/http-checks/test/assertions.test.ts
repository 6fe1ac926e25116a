import { describe, expect, it } from "vitest";
import { evaluateExpect } from "../src/assertions.js";
import { expectSchema } from "../src/expect-schema.js";
import type { HttpResponse } from "../src/http-response.js";

const response: HttpResponse = {
  status: 200,
  headers: { "x-color": "green", "content-type": "application/json" },
  body: JSON.stringify({ version: "2", ready: true, items: [{ id: 1 }] }),
  latencyMs: 120,
  url: "http://127.0.0.1/",
};

const check = (expect: unknown, res: Partial<HttpResponse> = {}) => evaluateExpect(expectSchema.parse(expect), { ...response, ...res });

describe("evaluateExpect", () => {
  it("expects a 2xx by default", () => {
    expect(evaluateExpect(undefined, response)).toEqual([]);
    expect(evaluateExpect(undefined, { ...response, status: 503 })).toEqual([{ assertion: "status", measured: "503", expected: "2xx" }]);
  });

  it("accepts a status code, a list or a class", () => {
    expect(check({ status: 200 })).toEqual([]);
    expect(check({ status: [201, "3xx"] })).toEqual([{ assertion: "status", measured: "200", expected: "201 or 3xx" }]);
    expect(check({ status: "2xx" })).toEqual([]);
  });

  it("holds latency against max-latency", () => {
    expect(check({ "max-latency": "100ms" })).toEqual([{ assertion: "max-latency", measured: "120ms", expected: "at most 100ms" }]);
    expect(check({ "max-latency": "1s" })).toEqual([]);
  });

  it("checks the body: contains, not-contains, matches", () => {
    expect(check({ "body-contains": ["version", "ready"], "body-not-contains": "error", "body-matches": '"ready":\\s*true' })).toEqual([]);
    const failures = check({ "body-contains": "nope", "body-not-contains": "version", "body-matches": "^<html" });
    expect(failures.map((f) => f.assertion)).toEqual(["body-contains", "body-not-contains", "body-matches"]);
  });

  it("compares JSON paths exactly or by /regex/", () => {
    expect(check({ json: { "$.version": "2", "$.ready": true, "$.items[0].id": 1 } })).toEqual([]);
    expect(check({ json: { "$.version": "/^2(\\.\\d+)?$/" } })).toEqual([]);
    expect(check({ json: { "$.version": "3", "$.missing": 1 } })).toEqual([
      { assertion: "json $.version", measured: '"2"', expected: "3" },
      { assertion: "json $.missing", measured: "absent", expected: "1" },
    ]);
    expect(check({ json: { "$.version": "2" } }, { body: "<html>" })[0]?.expected).toBe("a JSON body");
  });

  it("compares headers case-insensitively, exactly or by /regex/", () => {
    expect(check({ headers: { "X-Color": "green", "Content-Type": "/json/" } })).toEqual([]);
    expect(check({ headers: { "X-Color": "blue", "X-Version": "2" } })).toEqual([
      { assertion: "header X-Color", measured: '"green"', expected: "blue" },
      { assertion: "header X-Version", measured: "absent", expected: "2" },
    ]);
  });
});

describe("expectSchema", () => {
  it("rejects unknown keys, bad classes, bad paths and regexes that do not compile", () => {
    expect(expectSchema.safeParse({ stauts: 200 }).success).toBe(false);
    expect(expectSchema.safeParse({ status: "6xx" }).success).toBe(false);
    expect(expectSchema.safeParse({ json: { version: 1 } }).success).toBe(false);
    expect(expectSchema.safeParse({ "body-matches": "(" }).success).toBe(false);
    expect(expectSchema.safeParse({ headers: { "x-a": "/(/" } }).success).toBe(false);
  });
});
