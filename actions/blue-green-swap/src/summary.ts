import { formatDuration } from "@cutover/core";
import { table } from "@cutover/runner";
import type { SwapOutcome } from "./outcome.js";

const shares = (w: { blue: number; green: number }) => `🔵 blue ${w.blue}% · 🟢 green ${w.green}%`;

const dot = (color: string | undefined) => (color === "blue" ? "🔵 blue" : color === "green" ? "🟢 green" : "— none");

/** The step summary: before → after at a glance, then each step with its timing. */
export function renderSummary(outcome: SwapOutcome, failure: unknown): string {
  const failed = failure !== undefined;
  let headline: string;
  if (outcome.mode === "status") headline = `active ${dot(outcome.active)}`;
  else if (outcome.noop) headline = `${dot(outcome.active)} already active, nothing switched`;
  else if (outcome.reverted) headline = `❌ ${dot(outcome.target)} failed verification, reverted to ${dot(outcome.active)}`;
  else if (failed) headline = `❌ switch to ${dot(outcome.target)} failed, ${dot(outcome.active)} serving`;
  else headline = `✅ ${dot(outcome.previous)} → ${dot(outcome.active)}`;
  const split = outcome.weights && outcome.weights.blue !== 100 && outcome.weights.green !== 100 ? outcome.weights : undefined;
  if (split && !failed && !outcome.reverted) headline = `${outcome.mode === "status" ? "" : "✅ "}traffic split: ${shares(split)}`;

  let md = `### blue-green-swap: ${headline}\n\nRouter: ${outcome.router}\n\n`;
  if (outcome.mode === "status") {
    md += table(["Active", "Idle"], [[dot(outcome.active), dot(outcome.active && (outcome.active === "blue" ? "green" : "blue"))]]);
    return md;
  }
  const rows: (string | number)[][] = [["Before", dot(outcome.previous), "", formatDuration(outcome.statusMs)]];
  for (const step of outcome.switch?.steps ?? []) {
    rows.push([`Switch: ${step.name}`, step.ok ? "✅" : "❌", step.command ? `\`${step.command}\`` : "", formatDuration(step.durationMs)]);
  }
  const v = outcome.verification;
  if (v) {
    const seen = v.last?.error ?? (v.last?.status === undefined ? "" : `HTTP ${v.last.status}`);
    const why = v.last?.failures.map((f) => `${f.assertion}: ${f.measured} (expected ${f.expected})`).join("; ") ?? "";
    rows.push([
      `Verify ${v.url}`,
      v.ok ? "✅ 3 passes in a row" : "❌",
      v.ok ? `${v.attempts} request(s)` : `${v.attempts} request(s); last: ${seen} ${why}`.trim(),
      formatDuration(v.durationMs),
    ]);
  }
  if (outcome.revert) {
    rows.push([
      `Revert to ${dot(outcome.previous)}`,
      outcome.revert.ok ? "✅" : "❌",
      outcome.revert.error ?? outcome.revert.reason,
      formatDuration(outcome.revert.durationMs),
    ]);
  }
  rows.push([
    "After",
    dot(outcome.active),
    outcome.switched ? "switched" : outcome.reverted ? "reverted" : "unchanged",
    formatDuration(outcome.durationMs),
  ]);
  md += table(["Step", "Result", "Detail", "Time"], rows);
  if (outcome.steps && outcome.steps.length > 0) md += `\n${renderTrafficSteps(outcome)}`;
  for (const warning of outcome.switch?.warnings ?? []) md += `\n> ⚠️ ${warning}\n`;
  if (failed && outcome.error)
    md += `\n${outcome.error
      .split("\n")
      .map((line) => `> ${line}`)
      .join("\n")}\n`;
  return md;
}

/** The share over time of a rollout in steps: one bar per step, ten cells of 10 %. */
function renderTrafficSteps(outcome: SwapOutcome): string {
  const rows = (outcome.steps ?? []).map((step) => {
    const blueCells = Math.round(step.weights.blue / 10);
    const bar = "🟦".repeat(blueCells) + "🟩".repeat(10 - blueCells);
    const judged = step.verdict
      ? `${step.verdict === "pass" ? "✅" : step.verdict === "fail" ? "❌" : "⏹️"} ${step.reason ?? ""}`
      : "— (the bake judges all traffic)";
    return [step.at.slice(11, 19), bar, `blue ${step.weights.blue}% · green ${step.weights.green}%`, judged.trim()];
  });
  if (outcome.revert?.ok) {
    const back = outcome.weights ?? { blue: 0, green: 0 };
    rows.push([
      outcome.revert.at.slice(11, 19),
      "🟦".repeat(Math.round(back.blue / 10)) + "🟩".repeat(10 - Math.round(back.blue / 10)),
      `blue ${back.blue}% · green ${back.green}%`,
      "↩ returned",
    ]);
  }
  return `**Traffic over time (UTC)**\n\n${table(["Time", "Share", "Weights", "Judged"], rows)}`;
}
