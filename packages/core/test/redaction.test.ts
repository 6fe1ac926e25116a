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

describe("Redactor: escaped forms of a secret", () => {
  const secret = 'aws"Secret\\Key/+=42';

  it("scrubs the JSON-escaped, URL-encoded and base64 forms, at any base64 alignment", () => {
    const redactor = new Redactor();
    redactor.add(secret);
    const text = [
      JSON.stringify({ token: secret }),
      `https://x.example/?k=${encodeURIComponent(secret)}`,
      new URLSearchParams({ k: secret }).toString(),
      Buffer.from(secret).toString("base64"),
      Buffer.from(`a${secret}`).toString("base64"),
      Buffer.from(`ab${secret}tail`).toString("base64"),
    ].join("\n");
    const out = redactor.redact(text);
    expect(out).not.toContain("Secret");
    expect(out).not.toContain(encodeURIComponent(secret));
    for (const prefix of ["", "a", "ab"]) {
      // The middle of each base64 text, which only the secret's bytes decide, is gone.
      const encoded = Buffer.from(`${prefix}${secret}`).toString("base64");
      expect(out).not.toContain(encoded.slice(4, 16));
    }
  });

  it("redactDeep hides secrets before serialising, in keys and values, so JSON escaping cannot hide them", () => {
    const redactor = new Redactor();
    redactor.add(secret);
    const report = { output: `token=${secret}`, nested: [{ [secret]: new URL(`https://h.example/?t=${encodeURIComponent(secret)}`) }] };
    const json = JSON.stringify(redactor.redactDeep(report));
    expect(json).toBe('{"output":"token=***","nested":[{"***":"https://h.example/?t=***"}]}');
  });
});
