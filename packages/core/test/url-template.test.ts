import { describe, expect, it } from "vitest";
import { fillUrlTemplate, isUrlTemplate, urlTemplateInput } from "../src/url-template.js";

describe("urlTemplateInput", () => {
  const schema = urlTemplateInput();

  it("accepts plain URLs and URLs with placeholders in the host, port-less path or query", () => {
    for (const text of [
      "http://127.0.0.1:8080/health",
      "http://{color}.app.internal:8080",
      "https://app.example/{environment}/health?v={version}",
    ]) {
      expect(schema.safeParse(text).success, text).toBe(true);
    }
  });

  it("refuses what is not an http(s) URL once filled, and unknown placeholders", () => {
    for (const text of ["{color}", "ftp://{color}.internal/", "http://{colour}.internal/", "not a url", ""]) {
      const result = schema.safeParse(text);
      expect(result.success, text).toBe(false);
      expect(result.error?.issues[0]?.message).toContain("placeholders such as {color} allowed");
    }
  });

  it("keeps a default as action.yml declares it", () => {
    expect(urlTemplateInput("http://{color}.internal/").parse(undefined)).toBe("http://{color}.internal/");
  });
});

describe("fillUrlTemplate", () => {
  it("fills and escapes each value", () => {
    expect(fillUrlTemplate("http://{color}.internal:8080/v/{version}", { color: "green", version: "1.2 rc/1" })).toBe(
      "http://green.internal:8080/v/1.2%20rc%2F1",
    );
  });

  it("throws when a placeholder has no value", () => {
    expect(() => fillUrlTemplate("http://{color}.internal/", {})).toThrow("{color} has no value");
  });

  it("tells templates from plain URLs", () => {
    expect(isUrlTemplate("http://{color}.internal/")).toBe(true);
    expect(isUrlTemplate("http://blue.internal/")).toBe(false);
  });
});
