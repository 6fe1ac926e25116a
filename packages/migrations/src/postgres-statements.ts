import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Node, ParseResult } from "libpg-query";
import { ParserProcessError, parserChild, serveParser } from "./postgres-parser-process.js";

/** One statement of a migration as PostgreSQL's own parser reads it. */
export interface ParsedStatement {
  /** The parse tree of the statement (one-key object: `{ AlterTableStmt: … }`). */
  node: Node;
  /** The statement's text, without the closing semicolon. */
  text: string;
  /** 1-based line where the statement starts. */
  line: number;
  /** Line comments (`-- …`) between the previous statement and this one, without the dashes, trimmed. */
  comments: string[];
}

/** The file could not be parsed: PostgreSQL's message and the 1-based line it points at. */
export interface ParseFailure {
  message: string;
  line: number;
}

type ParseSync = (sql: string) => ParseResult;
type Parse = (sql: string) => Promise<ParseResult>;
let parser: Promise<ParseSync> | undefined;

/** The parser lints use: in the `--liftoff-only` child when the bundle set one up, else in-process. */
export async function postgresParser(): Promise<Parse> {
  const child = parserChild();
  if (!child) {
    const parse = await loadPostgresParser();
    return async (sql) => parse(sql);
  }
  return async (sql) => {
    try {
      return await child.parse(sql);
    } catch (error) {
      if (!(error instanceof ParserProcessError)) throw error;
      return (await loadPostgresParser())(sql);
    }
  };
}

/**
 * Loads libpg_query (JS glue + 1.7 MB of WebAssembly, compiled on import) once, on first use:
 * only PostgreSQL lints pay for it. The bundler puts it in a chunk of its own, read from disk
 * only here (scripts/bundle-licenses.mjs lists the licences of every chunk).
 */
export function loadPostgresParser(): Promise<ParseSync> {
  parser ??= (async () => {
    // The Emscripten glue is CommonJS and finds libpg-query.wasm through __dirname, which an ES
    // module bundle lacks: lend it the bundle's directory (the build copies the wasm there).
    const global = globalThis as { __dirname?: string };
    const lent = typeof global.__dirname === "undefined" && typeof __dirname === "undefined";
    if (lent) global.__dirname = dirname(fileURLToPath(import.meta.url));
    try {
      const module = await import("libpg-query");
      await module.loadModule();
      return module.parseSync;
    } finally {
      if (lent) delete global.__dirname;
    }
  })();
  return parser;
}

/** The parser child's main: answers parse requests with the in-process parser until stdin closes. */
export async function runParserChild(): Promise<void> {
  await serveParser(await loadPostgresParser());
}

/** Walks a string by UTF-8 byte offsets (what libpg_query reports), counting lines on the way. */
class ByteCursor {
  private char = 0;
  private byte = 0;
  line = 1;
  constructor(private readonly sql: string) {}

  /** Moves forward to a byte offset and returns the matching string index. */
  seek(byteOffset: number): number {
    const sql = this.sql;
    while (this.byte < byteOffset && this.char < sql.length) {
      const code = sql.codePointAt(this.char) as number;
      if (code === 10) this.line++;
      this.byte += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      this.char += code >= 0x10000 ? 2 : 1;
    }
    return this.char;
  }
}

const LINE_COMMENT = /--([^\n]*)/g;
const BLOCK_COMMENT = /\/\*[\s\S]*?\*\//g;

/** parsePostgres with the parser lints use (see postgresParser). */
export async function parsePostgresSql(sql: string): Promise<ParsedStatement[] | ParseFailure> {
  return parsePostgres(await postgresParser(), sql);
}

/** Splits and parses a migration with the real PostgreSQL parser; a syntax error comes back as a ParseFailure. */
export async function parsePostgres(parse: Parse, sql: string): Promise<ParsedStatement[] | ParseFailure> {
  let result: ParseResult;
  try {
    result = await parse(sql);
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    const cursor = new ByteCursor(sql);
    cursor.seek(details?.cursorPosition ?? 0);
    return { message: error instanceof Error ? error.message : String(error), line: cursor.line };
  }
  const statements: ParsedStatement[] = [];
  const cursor = new ByteCursor(sql);
  let previousEnd = 0;
  for (const raw of result.stmts ?? []) {
    if (!raw.stmt) continue;
    const startByte = raw.stmt_location ?? 0;
    const start = cursor.seek(startByte);
    const line = cursor.line;
    const end = raw.stmt_len ? cursor.seek(startByte + raw.stmt_len) : sql.length;
    // Between two statements there are only blanks, comments and the semicolon: the markers live there.
    const gap = sql.slice(previousEnd, start).replace(BLOCK_COMMENT, "");
    const comments = [...gap.matchAll(LINE_COMMENT)].map((m) => (m[1] as string).trim());
    statements.push({ node: raw.stmt, text: sql.slice(start, end).replace(/;\s*$/, "").trim(), line, comments });
    previousEnd = end;
  }
  return statements;
}
