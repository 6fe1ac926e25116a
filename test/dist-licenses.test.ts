import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The committed bundles: the kubernetes and AWS SDKs sit in chunks loaded only by their provider,
// and licenses.txt lists what every chunk bundles (ncc's own list kept only one chunk's).
const dist = new URL("../dist/", import.meta.url).pathname;
const read = (name: string, file: string) => readFileSync(join(dist, name, file), "utf8");
const entries = (name: string) =>
  new Set(
    read(name, "licenses.txt")
      .split("\n\n")
      .map((entry) => entry.split("\n")[0]),
  );

describe("dist bundles", () => {
  for (const name of ["blue-green-swap", "rollback"]) {
    it(`${name}: the router SDKs are lazily loaded chunks, and their licences are listed`, () => {
      const chunks = readdirSync(join(dist, name)).filter((file) => /^\d+\.index\.js$/.test(file));
      const withClient = (marker: string) => chunks.filter((chunk) => read(name, chunk).includes(marker));
      expect(withClient("CoreV1Api").length).toBeGreaterThan(0);
      expect(withClient("class DescribeTargetHealthCommand").length).toBeGreaterThan(0);
      expect(read(name, "index.js")).not.toContain("class CoreV1Api");
      expect(read(name, "index.js")).not.toContain("class DescribeTargetHealthCommand");
      const listed = entries(name);
      for (const pkg of [
        "zod",
        "yaml",
        "@kubernetes/client-node",
        "js-yaml",
        "openid-client",
        "@aws-sdk/client-elastic-load-balancing-v2",
        "@smithy/core",
      ]) {
        expect(listed.has(pkg), pkg).toBe(true);
      }
    });
  }

  // Issue 19: compiling the PromQL stack (~200 KiB) cost every start of these steps; only runs given metrics, scope or alert-rules load it.
  for (const name of ["blue-green-swap", "health-gate", "preflight"]) {
    it(`${name}: the PromQL grammar is a lazily loaded chunk, and its licences are listed`, () => {
      const chunks = readdirSync(join(dist, name)).filter((file) => /^\d+\.index\.js$/.test(file));
      expect(chunks.filter((chunk) => read(name, chunk).includes("class LRParser extends Parser")).length).toBe(1);
      expect(read(name, "index.js")).not.toContain("class LRParser");
      expect(read(name, "index.js")).not.toMatch(/CONCATENATED MODULE: \.\/node_modules\/@(lezer|prometheus-io)\//);
      const listed = entries(name);
      for (const pkg of ["@prometheus-io/lezer-promql", "@lezer/lr", "@lezer/common", "@lezer/highlight"])
        expect(listed.has(pkg), pkg).toBe(true);
    });
  }

  it("every bundle lists the licences of what its main chunk bundles", () => {
    for (const name of readdirSync(dist)) expect(entries(name).has("zod"), name).toBe(true);
  });

  // Every step pays for what its main chunk loads before it does anything (issue 19's cold start).
  it("no bundle loads undici or @actions/core at start-up, and one that bundles undici lists it", () => {
    for (const name of readdirSync(dist)) {
      const main = read(name, "index.js");
      expect(main, name).not.toContain("CONCATENATED MODULE: ./node_modules/@actions/core/");
      expect(main, name).not.toMatch(/\/\/ CONCATENATED MODULE: \.\/node_modules\/undici\/|class Client extends DispatcherBase/);
      const chunks = readdirSync(join(dist, name)).filter((file) => /^\d+\.index\.js$/.test(file));
      if (chunks.some((chunk) => read(name, chunk).includes("class Client extends DispatcherBase"))) {
        expect(entries(name).has("undici"), name).toBe(true);
      }
    }
  });
});
