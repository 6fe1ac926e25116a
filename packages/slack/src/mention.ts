import { z } from "zod";

/**
 * Turns what people write for "who to ping" into Slack syntax: `<!subteam^S0123>` and `<@U0123>`
 * pass through; bare IDs `S0123` / `U0123` / `W0123`, `@here`, `@channel`, `@everyone` are
 * wrapped. Returns undefined for anything Slack would show as plain text (e.g. `@oncall`),
 * which would look like a ping but notify nobody.
 */
export function parseMention(text: string): string | undefined {
  const parts = text
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  const out: string[] = [];
  for (const part of parts) {
    const one = mentionOf(part);
    if (!one) return undefined;
    out.push(one);
  }
  return out.join(" ");
}

function mentionOf(part: string): string | undefined {
  if (/^<(?:!subteam\^[A-Z0-9]+(?:\|[^<>]*)?|@[UW][A-Z0-9]+(?:\|[^<>]*)?|!here|!channel|!everyone)>$/.test(part)) return part;
  if (/^S[A-Z0-9]{2,}$/.test(part)) return `<!subteam^${part}>`;
  if (/^[UW][A-Z0-9]{2,}$/.test(part)) return `<@${part}>`;
  const special = /^@?(here|channel|everyone)$/.exec(part)?.[1];
  return special ? `<!${special}>` : undefined;
}

/** The `mention` input: what people write, turned into Slack syntax, or refused with the syntax to use. */
export const mentionSchema = z.string().transform((text, ctx) => {
  const mention = parseMention(text);
  if (mention === undefined) {
    ctx.addIssue({
      code: "custom",
      message:
        "Slack mention syntax: <!subteam^S…> (a user group), <@U…>, a bare S…/U… ID, or @here/@channel (a plain @name such as @oncall would notify nobody)",
    });
    return z.NEVER;
  }
  return mention;
});
