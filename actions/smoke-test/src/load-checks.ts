import { readFileSync } from "node:fs";
import { ConfigError, structuredInput, toConfigIssues } from "@cutover/core";
import { type CheckSpec, checkListSchema } from "@cutover/http-checks";
import { parse as parseYaml } from "yaml";

const fileSchema = structuredInput(checkListSchema);

/** The checks to run: from `checks`, from `checks-file`, or the default `GET /` expecting a 2xx. */
export function selectChecks(inline: CheckSpec[] | undefined, file: string | undefined): CheckSpec[] {
  if (inline && file) {
    throw ConfigError.single({
      input: "checks-file",
      path: "",
      given: JSON.stringify(file),
      expected: "either checks or checks-file, not both",
    });
  }
  if (file) return readChecksFile(file);
  return inline ?? [{ method: "GET", path: "/" }];
}

function readChecksFile(file: string): CheckSpec[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw ConfigError.single({
      input: "checks-file",
      path: "",
      given: `${JSON.stringify(file)} (${code === "ENOENT" ? "no such file" : code})`,
      expected: "a readable YAML or JSON file of checks, relative to the workspace",
    });
  }
  const result = fileSchema.safeParse(text);
  if (result.success) return result.data;
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch {
    document = text;
  }
  throw new ConfigError(toConfigIssues("checks-file", document, result.error.issues));
}
