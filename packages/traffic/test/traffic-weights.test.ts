import { describe, expect, it } from "vitest";
import { dominantColor, formatWeights, parseWeights, routerSchema, soleColor } from "../src/index.js";
import { serverWeightFor } from "../src/split-weights.js";

describe("traffic weights", () => {
  it("parses shares, filling in the other color, and formats them back", () => {
    expect(parseWeights("blue=90,green=10")).toEqual({ blue: 90, green: 10 });
    expect(parseWeights(" green = 25% ")).toEqual({ blue: 75, green: 25 });
    expect(formatWeights({ blue: 0, green: 100 })).toBe("blue=0,green=100");
  });

  it("names what is wrong in shares that are not valid", () => {
    expect(() => parseWeights("blue=90,green=20")).toThrow(/blue=90,green=20 does not add up to 100/);
    expect(() => parseWeights("purple=10")).toThrow(/'purple=10' is not color=percent/);
    expect(() => parseWeights("green=10,green=20")).toThrow(/green is given twice/);
    expect(() => parseWeights("green=120")).toThrow(/does not add up to 100 \(or a share is above 100\)/);
    expect(() => parseWeights("")).toThrow(/nothing given/);
  });

  it("names the sole color and the dominant one, a tie going to the color that had all traffic", () => {
    expect(soleColor({ blue: 0, green: 100 })).toBe("green");
    expect(soleColor({ blue: 10, green: 90 })).toBeUndefined();
    expect(dominantColor({ blue: 10, green: 90 })).toBe("green");
    expect(dominantColor({ blue: 50, green: 50 }, "blue")).toBe("blue");
    expect(dominantColor({ blue: 50, green: 50 })).toBeUndefined();
  });

  it("spreads a color's share evenly over its servers, exactly where the weights allow", () => {
    expect(serverWeightFor({ blue: 90, green: 10 }, { blue: 2, green: 2 })).toEqual({ blue: 90, green: 10 });
    // 1 blue at 2×10 against 2 green at 90 each: 20 / 200 = 10%.
    expect(serverWeightFor({ blue: 10, green: 90 }, { blue: 1, green: 2 })).toEqual({ blue: 20, green: 90 });
    expect(serverWeightFor({ blue: 0, green: 100 }, { blue: 3, green: 1 })).toEqual({ blue: 0, green: 300 });
    // 99 × 5 = 495 is above HAProxy's 256: scaled down, never to 0 for a share above 0.
    const capped = serverWeightFor({ blue: 1, green: 99 }, { blue: 5, green: 1 }, 256);
    expect(capped.green).toBe(256);
    expect(capped.blue).toBe(1);
  });
});

describe("the haproxy router block", () => {
  const base = { provider: "haproxy", "admin-socket": "/run/haproxy/admin.sock", backend: "app", colors: { blue: ["b1"], green: ["g1"] } };

  it("takes the block of the issue with its defaults", () => {
    expect(routerSchema.parse({ ...base, "drain-timeout": "5s", "state-file": "/var/lib/haproxy/server-state" })).toEqual({
      ...base,
      "drain-timeout": 5_000,
      "state-file": "/var/lib/haproxy/server-state",
      "command-timeout": 10_000,
    });
  });

  it("refuses a server in both colors, names with runtime API separators, and relative paths", () => {
    const issues = (block: object) => routerSchema.safeParse(block).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ ...base, colors: { blue: ["s1"], green: ["s2", "s1"] } })).toEqual([
      "colors.green.1: a server that is not also listed under blue ('s1' is in both colors)",
    ]);
    expect(issues({ ...base, backend: "app; shutdown" })?.[0]).toMatch(/^backend: a backend name of letters/);
    expect(issues({ ...base, colors: { blue: ["app/b1"], green: ["g1"] } })?.[0]).toMatch(/^colors.blue.0: a server name/);
    expect(issues({ ...base, "admin-socket": "admin.sock" })?.[0]).toMatch(/^admin-socket: an absolute path/);
  });
});
