import { describe, expect, it } from "vitest";
import { escapeMrkdwn, escapeText, link, parseMention } from "../src/index.js";

describe("escapeText", () => {
  it("escapes the three control characters Slack reserves", () => {
    expect(escapeText("a & b <c> d")).toBe("a &amp; b &lt;c&gt; d");
  });
});

describe("escapeMrkdwn", () => {
  it("keeps Slack links, channel links, dates and existing entities but escapes mentions and stray control characters", () => {
    const text =
      "see <https://x.test/a?b=1&c=2|the run> in <#C0123> at <!date^1700000000^{date}|x> for <@U0123> & <!subteam^S99> — 1 < 2 &amp; <script>";
    expect(escapeMrkdwn(text)).toBe(
      "see <https://x.test/a?b=1&c=2|the run> in <#C0123> at <!date^1700000000^{date}|x> for &lt;@U0123&gt; &amp; &lt;!subteam^S99&gt; — 1 &lt; 2 &amp; &lt;script&gt;",
    );
  });

  it("never pings: broadcasts in any form are escaped or defused (issue 12 #9)", () => {
    const out = escapeMrkdwn("<!channel> <!here> <!everyone> @here @Channel");
    expect(out).toBe("&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; @\u2060here @\u2060Channel");
    expect(escapeText("<https://evil.example|Click> @everyone")).toBe("&lt;https://evil.example|Click&gt; @\u2060everyone");
  });

  it("escapes an unclosed or malformed tag instead of letting it swallow text", () => {
    expect(escapeMrkdwn("<https://x.test oops")).toBe("&lt;https://x.test oops");
    expect(escapeMrkdwn("<not a link>")).toBe("&lt;not a link&gt;");
  });
});

describe("link", () => {
  it("escapes the label and keeps | and > out of the URL", () => {
    expect(link("https://x.test/a|b", "v1 <beta> & co")).toBe("<https://x.test/a%7Cb|v1 &lt;beta&gt; &amp; co>");
  });
});

describe("parseMention", () => {
  it("accepts Slack syntax and bare IDs", () => {
    expect(parseMention("<!subteam^S0123ABC>")).toBe("<!subteam^S0123ABC>");
    expect(parseMention("S0123ABC U0456DEF, @here")).toBe("<!subteam^S0123ABC> <@U0456DEF> <!here>");
  });

  it("rejects a plain @name, which would notify nobody", () => {
    expect(parseMention("@oncall")).toBeUndefined();
    expect(parseMention("U0123 oncall")).toBeUndefined();
  });
});
