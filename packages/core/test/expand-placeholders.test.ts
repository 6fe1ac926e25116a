import { describe, expect, it } from "vitest";
import { expandPlaceholders, missingPlaceholders, placeholdersIn } from "../src/expand-placeholders.js";

describe("expandPlaceholders", () => {
  const values = { color: "green", "previous-color": "blue", version: "v1.4.2", environment: "production" };

  it("fills every known placeholder and leaves PromQL braces alone", () => {
    const query = 'sum(rate(http_requests_total{code=~"5..",color="{color}"}[5m])) / on() group_left {previous-color}';
    expect(expandPlaceholders(query, values)).toBe('sum(rate(http_requests_total{code=~"5..",color="green"}[5m])) / on() group_left blue');
  });

  it("escapes values with the given encoder", () => {
    expect(expandPlaceholders("http://{color}.internal/v/{version}", { ...values, version: "a b/c" }, encodeURIComponent)).toBe(
      "http://green.internal/v/a%20b%2Fc",
    );
  });

  it("names the placeholders a text uses and those without a value", () => {
    expect(placeholdersIn("{version} {color} {version} {unknown}")).toEqual(["version", "color"]);
    expect(missingPlaceholders("{previous-version} on {environment}", values)).toEqual(["previous-version"]);
    expect(() => expandPlaceholders("{previous-version}", values)).toThrow("{previous-version} has no value");
  });
});
