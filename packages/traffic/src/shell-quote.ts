/** Quotes one word for a POSIX shell: `it's` becomes `'it'\''s'`. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
