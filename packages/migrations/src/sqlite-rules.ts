import type { LintRuleId } from "./lint-rules.js";

// SQLite has no parser on npm worth its weight here; its DDL is small enough for patterns over
// statements the splitter has already freed of comments and quoted text.
const IDENT = String.raw`(?:"(?:[^"]|"")+"|\x60[^\x60]+\x60|\[[^\]]+\]|[\w$]+)`;
const QUALIFIED = String.raw`(${IDENT}(?:\s*\.\s*${IDENT})?)`;
const ALTER_TABLE = new RegExp(String.raw`^ALTER\s+TABLE\s+${QUALIFIED}\s+([\s\S]*)$`, "i");
const CREATE_TABLE = new RegExp(String.raw`^CREATE\s+(?:TEMP(?:ORARY)?\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${QUALIFIED}`, "i");
const CREATE_UNIQUE_INDEX = new RegExp(String.raw`^CREATE\s+UNIQUE\s+INDEX\b[\s\S]*?\bON\s+${QUALIFIED}`, "i");
const DROP_TABLE = new RegExp(String.raw`^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?${QUALIFIED}`, "i");
const DROP_OBJECT = /^DROP\s+(?:VIEW|TRIGGER)\b/i;
const RENAME_TO = new RegExp(String.raw`^RENAME\s+TO\s+${QUALIFIED}`, "i");
const RENAME_COLUMN = /^RENAME\s+(?:COLUMN\s+)?\S+\s+TO\b/i;
const DROP_COLUMN = /^DROP\s+(?:COLUMN\s+)?\S+/i;
const ADD_COLUMN = /^ADD\s+(?:COLUMN\s+)?(?!(?:CONSTRAINT|CHECK|UNIQUE|PRIMARY|FOREIGN)\b)\S+\s*([\s\S]*)$/i;

/** Unquoted, lower-cased, unqualified name (SQLite names are case-insensitive). */
export function sqliteTableKey(name: string): string {
  const last = name.split(/\s*\.\s*/).pop() ?? name;
  return /^["`[]/.test(last) ? last.slice(1, -1).replaceAll('""', '"').toLowerCase() : last.toLowerCase();
}

/** What one SQLite migration file remembers across its statements. */
export interface SqliteLintState {
  newTables: Set<string>;
  /** Table name → statement index of its DROP TABLE, to spot the copy/drop/rename rebuild. */
  dropped: Map<string, number>;
}

function addColumnRules(definition: string): LintRuleId[] {
  if (/\b(?:PRIMARY\s+KEY|UNIQUE)\b/i.test(definition)) return ["sqlite-add-column-limits"];
  const defaultClause = /\bDEFAULT\s+(\([\s\S]*\)|CURRENT_(?:TIME|DATE|TIMESTAMP)\b|NULL\b)?/i.exec(definition);
  // SQLite refuses a non-constant default (parenthesised expression or CURRENT_*) on ADD COLUMN.
  if (defaultClause?.[1] && !/^NULL$/i.test(defaultClause[1])) return ["sqlite-add-column-limits"];
  const notNull = /\bNOT\s+NULL\b/i.test(definition);
  if (notNull && (!defaultClause || /^NULL$/i.test(defaultClause[1] ?? ""))) return ["sqlite-add-column-limits"];
  return [];
}

/** Rules for one SQLite statement (text without comments); `index` is its position in the file. */
export function sqliteStatementRules(text: string, index: number, state: SqliteLintState): LintRuleId[] {
  const created = CREATE_TABLE.exec(text);
  if (created) {
    state.newTables.add(sqliteTableKey(created[1] as string));
    return [];
  }
  const isNew = (name: string) => state.newTables.has(sqliteTableKey(name));
  const dropped = DROP_TABLE.exec(text);
  if (dropped) {
    if (isNew(dropped[1] as string)) return [];
    state.dropped.set(sqliteTableKey(dropped[1] as string), index);
    return ["drop-table"];
  }
  if (DROP_OBJECT.test(text)) return ["drop-object"];
  const unique = CREATE_UNIQUE_INDEX.exec(text);
  if (unique) return isNew(unique[1] as string) ? [] : ["add-unique-index"];
  const alter = ALTER_TABLE.exec(text);
  if (!alter) return [];
  const table = alter[1] as string;
  const action = (alter[2] as string).trim();
  const renamed = RENAME_TO.exec(action);
  if (renamed) {
    // The 12-step rebuild ends by renaming the copy over the dropped original.
    if (isNew(table) && state.dropped.has(sqliteTableKey(renamed[1] as string))) return ["sqlite-table-rebuild"];
    return isNew(table) ? [] : ["rename-table"];
  }
  if (RENAME_COLUMN.test(action)) return isNew(table) ? [] : ["rename-column"];
  if (DROP_COLUMN.test(action)) return isNew(table) ? [] : ["drop-column"];
  const added = ADD_COLUMN.exec(action);
  if (added) {
    const limits = addColumnRules(added[1] as string);
    if (limits.length > 0 || isNew(table)) return limits;
    return [];
  }
  return ["sqlite-alter-unsupported"];
}
