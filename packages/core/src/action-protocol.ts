// How a JavaScript action and the Actions runner talk: INPUT_* variables in, workflow commands on
// stdout, and file commands (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE, GITHUB_PATH) out. Written once,
// here, for the runner boundary, the local sandbox and the test harness.

/** The environment variable the runner sets for an input: upper-cased, spaces to `_`, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

/** An annotation a step printed (`::error title=…::message`). */
export interface Annotation {
  level: "error" | "warning" | "notice";
  message: string;
  properties: Record<string, string>;
}

/** One line of step output, as the runner reads it. */
export type CommandLine =
  | { kind: "log"; text: string }
  | { kind: "annotation"; annotation: Annotation }
  | { kind: "add-mask"; value: string }
  | { kind: "debug"; text: string }
  | { kind: "group"; title: string }
  | { kind: "endgroup" }
  | { kind: "stop-commands"; token: string };

const COMMAND = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/;

function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * One workflow command line (without its newline), byte for byte as @actions/core writes it:
 * properties with an empty or missing value are left out (the space before them stays).
 */
export function formatCommand(command: string, properties: Record<string, string | number | undefined>, data: string): string {
  const pairs = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== "" && value !== 0)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`);
  const head = Object.keys(properties).length > 0 ? `${command} ${pairs.join(",")}` : command;
  return `::${head}::${escapeData(data)}`;
}

/** A `name<<DELIMITER` heredoc entry for GITHUB_OUTPUT / GITHUB_STATE (without its final newline). */
export function formatFileCommand(name: string, value: string, delimiter: string, eol = "\n"): string {
  // A delimiter inside the name or value would end the heredoc early and let the rest set other names.
  if (name.includes(delimiter)) throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  if (value.includes(delimiter)) throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  return `${name}<<${delimiter}${eol}${value}${eol}${delimiter}`;
}

function unescapeData(text: string): string {
  return text.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
}

function unescapeProperty(text: string): string {
  return unescapeData(text).replace(/%3A/g, ":").replace(/%2C/g, ",");
}

/** Reads one stdout line the way the runner does: a workflow command or plain log text. */
export function parseCommandLine(line: string): CommandLine {
  const match = COMMAND.exec(line);
  if (!match) return { kind: "log", text: line };
  const [, command, props, data] = match as unknown as [string, string, string | undefined, string];
  switch (command) {
    case "add-mask":
      return { kind: "add-mask", value: unescapeData(data) };
    case "error":
    case "warning":
    case "notice": {
      const properties: Record<string, string> = {};
      for (const pair of (props ?? "").split(",").filter(Boolean)) {
        const eq = pair.indexOf("=");
        properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
      }
      return { kind: "annotation", annotation: { level: command, message: unescapeData(data), properties } };
    }
    case "debug":
      return { kind: "debug", text: unescapeData(data) };
    case "group":
      return { kind: "group", title: unescapeData(data) };
    case "endgroup":
      return { kind: "endgroup" };
    case "stop-commands":
      return { kind: "stop-commands", token: data };
    default:
      return { kind: "log", text: line };
  }
}

/** Splits stdout into workflow commands the runner would act on, as the runner parses them. */
export function parseWorkflowCommands(stdout: string): { annotations: Annotation[]; masks: string[]; log: string[] } {
  const annotations: Annotation[] = [];
  const masks: string[] = [];
  const log: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const parsed = parseCommandLine(line);
    if (parsed.kind === "add-mask") masks.push(parsed.value);
    else if (parsed.kind === "annotation") annotations.push(parsed.annotation);
    else log.push(line);
  }
  return { annotations, masks, log };
}

/** Reads a GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STATE file: `name<<DELIMITER` heredocs and `name=value` lines. */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split("\n").map((line) => line.replace(/\r$/, ""));
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i] as string);
      if (i >= lines.length) throw new Error(`unterminated heredoc for ${name}`);
      values[name] = body.join("\n");
    } else if (line.includes("=")) {
      const eq = line.indexOf("=");
      values[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return values;
}

/** Reads a GITHUB_PATH file: one directory per line, prepended to PATH in the order written. */
export function parsePathFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}
