import { SourceMap } from "./source-map";

/**
 * Tokeniser for the SELinux policy language (policy.conf form) as checkpolicy reads it.
 * Identifiers follow checkpolicy's rule: a letter or underscore, then letters, digits, `_`,
 * `-` and single dots. That is why `s0-s0` is one (undefined) identifier and ranges in policy
 * text must be written `s0 - s0:c0.c1023`, exactly as checkpolicy demands.
 */
export type TokenKind = "ident" | "number" | "string" | "punct" | "eof";

export interface Token {
  kind: TokenKind;
  text: string;
  line: number;
}

const PUNCT2 = ["==", "!=", "&&", "||"];
const PUNCT1 = "{}();:,~*-!^.";

function isIdentStart(ch: string): boolean {
  return /[A-Za-z_$]/.test(ch);
}

function isIdentChar(ch: string): boolean {
  return /[A-Za-z0-9_$\-]/.test(ch);
}

export function tokenize(text: string, file: string, map: SourceMap = SourceMap.identity(file)): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (ch === "\n") {
      line++;
      i++;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\r") {
      i++;
      continue;
    }
    if (ch === "#") {
      // Comments, including `#line` directives (SourceMap reads those).
      while (i < n && text[i] !== "\n") i++;
      continue;
    }
    if (isIdentStart(ch)) {
      let j = i + 1;
      for (;;) {
        while (j < n && isIdentChar(text[j]!)) j++;
        // A dot continues an identifier only when an identifier character follows
        // (`c0.c1023`), never at the end.
        if (text[j] === "." && j + 1 < n && isIdentChar(text[j + 1]!)) {
          j++;
          continue;
        }
        break;
      }
      tokens.push({ kind: "ident", text: text.slice(i, j), line });
      i = j;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      let j = i + 1;
      if (ch === "0" && (text[j] === "x" || text[j] === "X")) {
        j++;
        while (j < n && /[0-9A-Fa-f]/.test(text[j]!)) j++;
      } else {
        while (j < n && /[0-9]/.test(text[j]!)) j++;
      }
      tokens.push({ kind: "number", text: text.slice(i, j), line });
      i = j;
      continue;
    }
    if (ch === '"') {
      const j = text.indexOf('"', i + 1);
      if (j < 0) throw map.error(line, "unterminated string");
      tokens.push({ kind: "string", text: text.slice(i + 1, j), line });
      line += text.slice(i, j).split("\n").length - 1;
      i = j + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (PUNCT2.includes(two)) {
      tokens.push({ kind: "punct", text: two, line });
      i += 2;
      continue;
    }
    if (PUNCT1.includes(ch)) {
      tokens.push({ kind: "punct", text: ch, line });
      i++;
      continue;
    }
    throw map.error(line, `unexpected character '${ch}'`);
  }
  tokens.push({ kind: "eof", text: "", line });
  return tokens;
}
