import { describe, expect, it } from "vitest";
import { readUpstreamFile, renderUpstreamFile } from "../src/index.js";

const config = {
  "upstream-name": "shop",
  colors: { blue: ["10.0.0.5:8080"], green: ["10.0.0.6:8080", "10.0.0.7:8080 weight=2"] },
  "upstream-options": ["keepalive 16"],
};

describe("the managed upstream file", () => {
  it("holds a complete upstream block for the active color and a marker naming it", () => {
    const text = renderUpstreamFile(config, "green");
    expect(text).toContain("# cutover:active-color=green\n");
    expect(text).toContain("upstream shop {\n    keepalive 16;\n    server 10.0.0.6:8080;\n    server 10.0.0.7:8080 weight=2;\n}\n");
    expect(text).not.toContain("server 10.0.0.5:8080;");
    expect(readUpstreamFile(text)).toEqual({ kind: "managed", color: "green" });
  });

  it("renders the same text for the same configuration, so an unchanged switch is skipped", () => {
    expect(renderUpstreamFile(config, "blue")).toBe(renderUpstreamFile(structuredClone(config), "blue"));
  });

  it("tells an absent file from one cutover did not write", () => {
    expect(readUpstreamFile(undefined)).toEqual({ kind: "absent" });
    expect(readUpstreamFile("upstream app { server 1.2.3.4:80; }\n")).toMatchObject({ kind: "unmanaged" });
    expect(readUpstreamFile("# cutover:active-color=purple\n")).toMatchObject({
      kind: "unmanaged",
      reason: expect.stringContaining("purple"),
    });
  });
});
