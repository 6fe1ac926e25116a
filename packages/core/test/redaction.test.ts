import { describe, expect, it } from "vitest";
import { Redactor, redactUrl } from "../src/redaction.js";

describe("redactUrl", () => {
  it("hides the password of a URL with credentials", () => {
    expect(redactUrl("postgres://app:s3cr3t@db.internal:5432/app")).toBe("postgres://app:***@db.internal:5432/app");
  });

  it("hides secret-looking query parameters and keeps the others", () => {
    const redacted = redactUrl("https://hooks.example.com/x?token=abc123&page=2&api_key=zzz&X-Amz-Signature=f00");
    expect(redacted).toContain("page=2");
    expect(redacted).not.toMatch(/abc123|zzz|f00/);
    expect(redacted).toContain("token=***");
  });

  it("still strips credentials from something that does not parse as a URL", () => {
    expect(redactUrl("not a url //user:pw@host")).toBe("not a url //***@host");
  });
});

describe("Redactor", () => {
  it("scrubs every remembered secret, longest first, and each line of a multi-line one", () => {
    const redactor = new Redactor();
    redactor.add("Bearer abcdef");
    redactor.add("abcdef");
    redactor.add("line-one-secret\nline-two-secret");
    expect(redactor.redact("auth=Bearer abcdef; raw=abcdef; line-two-secret")).toBe("auth=***; raw=***; ***");
  });

  it("ignores values too short to be secrets", () => {
    const redactor = new Redactor();
    redactor.add("a");
    expect(redactor.redact("a cat")).toBe("a cat");
  });
});
