/** An annotation the action printed (`::error title=…::message`). */
export interface Annotation {
  level: "error" | "warning" | "notice";
  message: string;
  properties: Record<string, string>;
}

const COMMAND = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/;

function unescapeData(text: string): string {
  return text.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
}

function unescapeProperty(text: string): string {
  return unescapeData(text).replace(/%3A/g, ":").replace(/%2C/g, ",");
}

/** Splits stdout into workflow commands the runner would act on, as the runner parses them. */
export function parseWorkflowCommands(stdout: string): { annotations: Annotation[]; masks: string[]; log: string[] } {
  const annotations: Annotation[] = [];
  const masks: string[] = [];
  const log: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = COMMAND.exec(line);
    if (!match) {
      log.push(line);
      continue;
    }
    const [, command, props, data] = match as unknown as [string, string, string | undefined, string];
    if (command === "add-mask") {
      masks.push(unescapeData(data));
    } else if (command === "error" || command === "warning" || command === "notice") {
      const properties: Record<string, string> = {};
      for (const pair of (props ?? "").split(",").filter(Boolean)) {
        const eq = pair.indexOf("=");
        properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
      }
      annotations.push({ level: command, message: unescapeData(data), properties });
    } else {
      log.push(line);
    }
  }
  return { annotations, masks, log };
}

/** Reads a GITHUB_OUTPUT / GITHUB_STATE file: `name<<DELIMITER` heredocs and `name=value` lines. */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split("\n");
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
