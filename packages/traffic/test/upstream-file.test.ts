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

  it("splits traffic by weighting both colors' servers, a user's weight= scaling its server", () => {
    const text = renderUpstreamFile(config, { blue: 90, green: 10 });
    expect(text).toContain("# cutover:active-color=blue\n# cutover:weights=blue=90,green=10\n");
    // Green's weight=2 server counts twice: 270 blue against 10 + 20 green is exactly 90 to 10.
    expect(text).toContain(
      "    server 10.0.0.5:8080 weight=270;\n    server 10.0.0.6:8080 weight=10;\n    server 10.0.0.7:8080 weight=20;\n",
    );
    expect(readUpstreamFile(text)).toEqual({ kind: "managed", color: "blue", weights: { blue: 90, green: 10 } });
    // An even split keeps the color that had all traffic before.
    expect(readUpstreamFile(renderUpstreamFile(config, { blue: 50, green: 50 }, "green"))).toMatchObject({ color: "green" });
    expect(renderUpstreamFile(config, { blue: 0, green: 100 })).toBe(renderUpstreamFile(config, "green"));
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
