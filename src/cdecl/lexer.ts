/**
 * Splits C declaration text into tokens with their line and column. Comments are
 * skipped; a `#` line is an error (there is no preprocessor here).
 */
import { CDeclError, SourcePosition } from "./errors";

export type TokenKind = "ident" | "number" | "char" | "string" | "punct" | "eof";

export interface Token extends SourcePosition {
  readonly kind: TokenKind;
}

// longest first, so "..." wins over "." and "<<" over "<"
const PUNCTUATORS = ["...", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "->", "++", "--", ..."()[]{};,*=:.+-/%&|^~!<>?"];

const isIdentStart = (c: string) => /[A-Za-z_$]/.test(c);
const isIdentPart = (c: string) => /[A-Za-z0-9_$]/.test(c);
const isDigit = (c: string) => c >= "0" && c <= "9";

export function tokenize(text: string, where: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let atLineStart = true; // only whitespace so far on this line
  const fail = (at: number, token: string, message: string): never => {
    throw new CDeclError(where, { line, column: at - lineStart + 1, token }, message);
  };
  const push = (kind: TokenKind, start: number, end: number) => {
    tokens.push({ kind, token: text.slice(start, end), line, column: start - lineStart + 1 });
    atLineStart = false;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\n") {
      i++;
      line++;
      lineStart = i;
      atLineStart = true;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v") {
      i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) fail(i, "/*", "unterminated comment");
      for (let k = i; k < end; k++) {
        if (text[k] !== "\n") continue;
        line++;
        lineStart = k + 1;
      }
      i = end + 2;
      continue;
    }
    if (c === "#") {
      const directive = /^#\s*[A-Za-z_]*/.exec(text.slice(i))![0];
      fail(i, directive, atLineStart
        ? `preprocessor directive on line ${line}: cdef() has no preprocessor (write the declarations out, or use tsctypes-bindgen on the header)`
        : `unexpected "#"`);
    }
    const start = i;
    if (isIdentStart(c)) {
      // L'x', L"x", u8"x", u'x', U'x': prefixed character and string literals
      const prefix = /^(?:u8|[LuU])(?=['"])/.exec(text.slice(i, i + 3));
      if (prefix) i += prefix[0].length;
      else {
        while (i < text.length && isIdentPart(text[i]!)) i++;
        push("ident", start, i);
        continue;
      }
    }
    if (isDigit(text[i]!) || (text[i] === "." && isDigit(text[i + 1] ?? ""))) {
      // a preprocessing number: digits, letters, dots, and signs after an exponent letter
      i++;
      while (i < text.length && (isIdentPart(text[i]!) || text[i] === "." || ((text[i] === "+" || text[i] === "-") && /[eEpP]/.test(text[i - 1]!)))) i++;
      push("number", start, i);
      continue;
    }
    const q = text[i];
    if (q === "'" || q === '"') {
      i++;
      while (i < text.length && text[i] !== q && text[i] !== "\n") i += text[i] === "\\" ? 2 : 1;
      if (text[i] !== q) fail(start, text.slice(start, i), q === "'" ? "unterminated character constant" : "unterminated string literal");
      i++;
      push(q === "'" ? "char" : "string", start, i);
      continue;
    }
    const p = PUNCTUATORS.find((s) => text.startsWith(s, i));
    if (!p) fail(i, c, `unexpected character ${JSON.stringify(c)}`);
    i += p!.length;
    push("punct", start, i);
  }
  tokens.push({ kind: "eof", token: "", line, column: i - lineStart + 1 });
  return tokens;
}
