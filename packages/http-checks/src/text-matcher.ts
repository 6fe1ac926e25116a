const REGEX_LITERAL = /^\/(.+)\/([dgimsuvy]*)$/s;

/** An expected text: exact, or a regex when written as `/pattern/flags`. */
export function matchesExpected(actual: string, expected: string): boolean {
  const literal = REGEX_LITERAL.exec(expected);
  if (literal) return new RegExp(literal[1] as string, literal[2]).test(actual);
  return actual === expected;
}

/** Whether an expected text is written as a regex, and if so whether it compiles. */
export function regexLiteralError(expected: string): string | undefined {
  const literal = REGEX_LITERAL.exec(expected);
  if (!literal) return undefined;
  try {
    new RegExp(literal[1] as string, literal[2]);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
