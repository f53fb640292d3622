/** The error of the C declaration parser: where in the C text, and which token. */

/** A place in the C text: 1-based line and column, and the token found there ("" at the end of the text). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  readonly token: string;
}

/** Bad C declaration text: a `SyntaxError` naming the line, column and token. */
export class CDeclError extends SyntaxError {
  override name = "CDeclError";
  readonly line: number;
  readonly column: number;
  /** the token at the error ("" at the end of the text) */
  readonly token: string;
  constructor(where: string, at: SourcePosition, message: string) {
    const found = at.token === "" ? "at the end of the text" : `at ${JSON.stringify(at.token)}`;
    super(`${where}: line ${at.line}, column ${at.column} ${found}: ${message}`);
    this.line = at.line;
    this.column = at.column;
    this.token = at.token;
  }
}
