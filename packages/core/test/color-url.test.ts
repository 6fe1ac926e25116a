import { describe, expect, it } from "vitest";
import { colorUrlInput, fillColorUrl, namesEachColor } from "../src/color-url.js";
import { ConfigError } from "../src/errors.js";

describe("colorUrlInput", () => {
  const schema = colorUrlInput();

  it("takes a template", () => {
    expect(schema.parse("http://{color}.app.internal:8080")).toBe("http://{color}.app.internal:8080");
  });

  it("takes one URL per color, as docker-compose teams have them", () => {
    expect(schema.parse("blue: http://127.0.0.1:8081\ngreen: http://127.0.0.1:8082/")).toEqual({
      blue: "http://127.0.0.1:8081",
      green: "http://127.0.0.1:8082/",
    });
    expect(schema.parse('{ "blue": "http://127.0.0.1:8081", "green": "http://127.0.0.1:8082" }')).toMatchObject({
      green: "http://127.0.0.1:8082",
    });
  });

  it("refuses a map missing a color, an unknown color, and a bad URL, at their path", () => {
    const missing = schema.safeParse("blue: http://127.0.0.1:8081");
    expect(missing.error?.issues[0]).toMatchObject({ path: ["green"] });
    const extra = schema.safeParse("blue: http://a\ngreen: http://b\nred: http://c");
    expect(extra.success).toBe(false);
    const bad = schema.safeParse("blue: ftp://a\ngreen: http://b");
    expect(bad.error?.issues[0]?.path).toEqual(["blue"]);
    expect(schema.safeParse("not a url").error?.issues[0]?.message).toContain("or a map { blue: …, green: … }");
  });
});

describe("fillColorUrl", () => {
  it("fills a template and picks from a map", () => {
    expect(fillColorUrl("idle-url", "http://{color}.internal:8080/{version}", { color: "green", version: "1.2" })).toBe(
      "http://green.internal:8080/1.2",
    );
    expect(fillColorUrl("idle-url", { blue: "http://127.0.0.1:8081", green: "http://127.0.0.1:8082" }, { color: "green" })).toBe(
      "http://127.0.0.1:8082",
    );
  });

  it("needs the color to pick from a map, naming the input", () => {
    expect(() => fillColorUrl("url", { blue: "http://a", green: "http://b" }, {})).toThrow(ConfigError);
    try {
      fillColorUrl("url", { blue: "http://a", green: "http://b" }, {});
    } catch (error) {
      expect((error as ConfigError).issues[0]).toMatchObject({ input: "url", expected: "the color input, which picks one" });
    }
  });

  it("tells whether a URL names each color", () => {
    expect(namesEachColor("http://{color}.internal")).toBe(true);
    expect(namesEachColor({ blue: "http://a", green: "http://b" })).toBe(true);
    expect(namesEachColor("http://app.internal")).toBe(false);
  });
});
