import { ConfigError } from "@cutover/core";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?$/;

export const DEFAULT_TRACKING_TABLE = "cutover_migrations";

/** The tracking table's name, checked and quoted for SQL: `"schema"."table"`. */
export function quoteTrackingTable(name: string, input = "tracking-table"): string {
  if (!NAME.test(name)) {
    throw ConfigError.single({
      input,
      path: "",
      given: JSON.stringify(name),
      expected: "a table name like cutover_migrations or schema.table (letters, digits, _)",
    });
  }
  return name
    .split(".")
    .map((part) => `"${part}"`)
    .join(".");
}
