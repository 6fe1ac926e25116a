/** One SQL statement of a migration file, with the comments that stood before it. */
export interface SqlStatement {
  /** The statement's text without leading comments or the closing semicolon. */
  text: string;
  /** 1-based line of the file where the statement's text starts. */
  line: number;
  /** Line comments (`-- …`) that precede the statement, without the dashes, trimmed. */
  comments: string[];
}

const DOLLAR_TAG = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/;

/**
 * Splits a SQL script into statements on top-level semicolons. Quotes ('…', "…", E'…'),
 * dollar-quoted bodies ($$…$$, $fn$…$fn$), line comments and nested block comments are
 * skipped whole, so a semicolon inside a function body never splits it. SQLite trigger
 * bodies (CREATE TRIGGER … BEGIN … END) are kept together.
 */
export function splitStatements(sql: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let line = 1;
  let start = -1;
  let startLine = 1;
  let comments: string[] = [];
  let depthBeginEnd = 0;
  let i = 0;
  const n = sql.length;

  const flush = (end: number) => {
    if (start >= 0) {
      const text = sql.slice(start, end).trim();
      if (text) statements.push({ text, line: startLine, comments });
    }
    start = -1;
    comments = [];
    depthBeginEnd = 0;
  };

  while (i < n) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    if (ch === "\n") {
      line++;
      i++;
      continue;
    }
    if (ch === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      const stop = end === -1 ? n : end;
      if (start < 0) comments.push(sql.slice(i + 2, stop).trim());
      i = stop;
      continue;
    }
    if (ch === "/" && next === "*") {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === "\n") line++;
        if (sql[i] === "/" && sql[i + 1] === "*") {
          depth++;
          i += 2;
        } else if (sql[i] === "*" && sql[i + 1] === "/") {
          depth--;
          i += 2;
        } else i++;
      }
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (start < 0) {
      start = i;
      startLine = line;
    }
    if (ch === "'" || ch === '"' || ch === "`") {
      // E'…' strings allow backslash escapes; standard strings double the quote.
      const backslash = ch === "'" && i > 0 && /[eE]/.test(sql[i - 1] as string) && !/\w/.test(sql[i - 2] ?? " ");
      i++;
      while (i < n) {
        const c = sql[i];
        if (c === "\n") line++;
        if (backslash && c === "\\") {
          i += 2;
          continue;
        }
        if (c === ch) {
          if (sql[i + 1] === ch) {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      i++;
      continue;
    }
    if (ch === "$" && !/\w/.test(sql[i - 1] ?? " ")) {
      const tag = DOLLAR_TAG.exec(sql.slice(i, i + 64))?.[0];
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        const stop = close === -1 ? n : close + tag.length;
        for (let k = i; k < stop; k++) if (sql[k] === "\n") line++;
        i = stop;
        continue;
      }
    }
    if (/[A-Za-z_]/.test(ch) && !/\w/.test(sql[i - 1] ?? " ")) {
      let j = i + 1;
      while (j < n && /\w/.test(sql[j] as string)) j++;
      const word = sql.slice(i, j).toUpperCase();
      // Only a trigger body opens a BEGIN…END block that may hold semicolons.
      if (word === "BEGIN" && /^\s*CREATE\s+(?:TEMP\w*\s+)?TRIGGER\b/i.test(sql.slice(start, i))) depthBeginEnd++;
      else if (word === "CASE" && depthBeginEnd > 0) depthBeginEnd++;
      else if (word === "END" && depthBeginEnd > 0) depthBeginEnd--;
      i = j;
      continue;
    }
    if (ch === ";" && depthBeginEnd === 0) {
      flush(i);
      i++;
      continue;
    }
    i++;
  }
  flush(n);
  return statements;
}
