import { isAbsolute, resolve } from "node:path";
import { ConfigError } from "@cutover/core";

/** Where the migrations go: a PostgreSQL server (driver `pg`) or a SQLite file (`node:sqlite`). */
export type DatabaseTarget = { kind: "postgres"; url: string } | { kind: "sqlite"; path: string };

/**
 * Reads a database URL: `postgres://…` / `postgresql://…`, or `sqlite:<path>` (also
 * `sqlite://<path>`, `sqlite::memory:`). Errors never quote the URL: it holds a password.
 */
export function parseDatabaseUrl(url: string, input = "database-url"): DatabaseTarget {
  const text = url.trim();
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1]?.toLowerCase();
  if (scheme === "postgres" || scheme === "postgresql") {
    try {
      const parsed = new URL(text);
      if (!parsed.hostname && !parsed.searchParams.has("host")) throw new Error("no host");
    } catch {
      throw ConfigError.single({
        input,
        path: "",
        given: "a postgres URL that does not parse",
        expected: "postgres://user:password@host:5432/database",
      });
    }
    return { kind: "postgres", url: text };
  }
  if (scheme === "sqlite" || scheme === "file") {
    const rest = text.slice(scheme.length + 1).replace(/^\/\//, "");
    const path = rest.split("?")[0] ?? "";
    if (!path) throw ConfigError.single({ input, path: "", given: "sqlite: without a path", expected: "sqlite:path/to/file.db" });
    if (path === ":memory:") return { kind: "sqlite", path };
    return { kind: "sqlite", path: isAbsolute(path) ? path : resolve(path) };
  }
  throw ConfigError.single({
    input,
    path: "",
    given: scheme ? `a URL with scheme '${scheme}:'` : "a value that is not a URL",
    expected: "postgres://…, postgresql://… or sqlite:<path>",
  });
}
