import { describe, expect, it } from "vitest";
import { type Block, type DeploymentMessage, renderDeploymentMessage, renderDetails } from "../src/index.js";

const github = {
  serverUrl: "https://github.example",
  repository: "acme/shop",
  sha: "0123456789abcdef0123456789abcdef01234567",
  actor: "octocat",
  runId: "42",
};

function render(overrides: Partial<DeploymentMessage>) {
  return renderDeploymentMessage({ status: "success", github, rollbackWorkflow: "rollback.yml", ...overrides }).message;
}

const allText = (blocks: Block[] | undefined) => JSON.stringify(blocks);

describe("renderDeploymentMessage", () => {
  it("puts status, environment and version in the header", () => {
    const message = render({ status: "started", environment: "production", version: "v1.4.2" });
    expect(message.blocks?.[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "🚀 Deploying v1.4.2 to production", emoji: true },
    });
    expect(message.text).toBe("🚀 Deploying v1.4.2 to production");
  });

  it("shows commit as a short-SHA link, actor, duration, traffic swap and extra fields", () => {
    const message = render({
      environment: "production",
      version: "v2",
      previousVersion: "v1",
      durationMs: 252_000,
      fromColor: "blue",
      toColor: "green",
      fields: [["Region", "eu-west-1"]],
    });
    const text = allText(message.blocks);
    expect(text).toContain("<https://github.example/acme/shop/commit/0123456789abcdef0123456789abcdef01234567|0123456>");
    expect(text).toContain("*Actor*\\noctocat");
    expect(text).toContain("*Duration*\\n4m12s");
    expect(text).toContain("🔵 blue → 🟢 green");
    expect(text).toContain("*Region*\\neu-west-1");
    expect(text).toContain("<https://github.example/acme/shop/actions/runs/42|Workflow run #42>");
    expect(text).toContain("<https://github.example/acme/shop/compare/v1...v2|Changes v1…v2>");
    expect(text).not.toContain("rollback");
  });

  it("links the run by the number people see, with the attempt when it is a re-run", () => {
    const message = renderDeploymentMessage({
      status: "success",
      github: { ...github, runNumber: "57", runAttempt: "2", workflow: "deploy" },
    }).message;
    expect(allText(message.blocks)).toContain("<https://github.example/acme/shop/actions/runs/42/attempts/2|deploy run #57 (attempt 2)>");
  });

  it("says traffic stayed where it was instead of showing a swap to the same color", () => {
    const text = allText(render({ status: "rolled-back", fromColor: "green", toColor: "green" }).blocks);
    expect(text).toContain("stays on 🟢 green");
    expect(text).not.toContain("→ 🟢 green");
  });

  it("on failure pings the mention, says what failed and links the rollback workflow", () => {
    const message = render({ status: "failure", version: "v2", mention: "<!subteam^S01>", reason: "health-gate: error rate 4% > 1%" });
    const text = allText(message.blocks);
    expect(text).toContain("<!subteam^S01>");
    expect(text).toContain("*What failed:* health-gate: error rate 4% &gt; 1%");
    expect(text).toContain("<https://github.example/acme/shop/actions/workflows/rollback.yml|Roll back with the rollback workflow>");
  });

  it("on rolled-back names the version restored and links the reverted changes", () => {
    const message = render({
      status: "rolled-back",
      environment: "production",
      version: "v2",
      previousVersion: "v1",
      reason: "p95 over 300ms",
    });
    expect(message.text).toBe("↩️ Rolled back production from v2 to v1");
    const text = allText(message.blocks);
    expect(text).toContain("*Restored*\\nv1");
    expect(text).toContain("*Why:* p95 over 300ms");
    expect(text).toContain("|Reverted changes v1…v2>");
    expect(text).not.toContain("Roll back with");
  });

  it("does not ping on success", () => {
    expect(allText(render({ mention: "<!subteam^S01>" }).blocks)).not.toContain("subteam");
  });

  it("escapes user values so they cannot inject links or mentions", () => {
    const text = allText(render({ environment: "<!channel>", version: "a&b", text: "x <!here> y <evil>" }).blocks);
    expect(text).toContain("&lt;!channel&gt;");
    expect(text).toContain("a&amp;b");
    // Only the mention input may ping (issue 12 #9): a broadcast in the user's text is shown, not sent.
    expect(text).toContain("x &lt;!here&gt; y &lt;evil&gt;");
  });

  it("shows reason and details from reports as plain text: no link, no ping", () => {
    const attack = "<!channel> see <https://evil.example|Click> @here";
    const main = allText(render({ status: "failure", reason: attack, mention: "<!subteam^S01>" }).blocks);
    expect(main).toContain("&lt;!channel&gt; see &lt;https://evil.example|Click&gt; @\u2060here");
    expect(main).toContain("<!subteam^S01>");
    const details = allText(renderDetails(attack).message.blocks);
    expect(details).not.toMatch(/<!channel>|<https:\/\/evil/);
  });

  it("spreads more than 10 fields over several sections instead of dropping them", () => {
    const fields = Array.from({ length: 12 }, (_, i) => [`k${i}`, `v${i}`] as [string, string]);
    const sections = (render({ fields }).blocks ?? []).filter((b) => Array.isArray(b.fields));
    expect(sections.map((s) => (s.fields as unknown[]).length)).toEqual([10, 4]);
  });

  it("cuts over-long text visibly", () => {
    const message = render({ text: "y".repeat(5000), title: "T".repeat(300) });
    const [header, body] = message.blocks as Block[];
    expect((header!.text as { text: string }).text.length).toBeLessThanOrEqual(150);
    expect((body!.text as { text: string }).text).toMatch(/… \(truncated\)$/);
  });
});

describe("renderDetails", () => {
  it("splits long details on line breaks into sections within the limit", () => {
    const details = Array.from({ length: 400 }, (_, i) => `line ${i} ${"-".repeat(20)}`).join("\n");
    const { message } = renderDetails(details, "Details");
    const sections = message.blocks ?? [];
    expect(sections.length).toBeGreaterThan(3);
    for (const s of sections) expect((s.text as { text: string }).text.length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(sections)).toContain("line 399");
  });
});
