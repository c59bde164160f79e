import type { Token } from "./lexer";
import type { SourceMap } from "./source-map";

/** Cursor over the token list with checkpolicy-style error messages. */
export class TokenStream {
  private pos = 0;

  constructor(
    private readonly tokens: Token[],
    readonly map: SourceMap,
  ) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  get line(): number {
    return this.peek().line;
  }

  atEnd(): boolean {
    return this.peek().kind === "eof";
  }

  is(text: string): boolean {
    const t = this.peek();
    return (t.kind === "punct" || t.kind === "ident") && t.text === text;
  }

  accept(text: string): boolean {
    if (this.is(text)) {
      this.next();
      return true;
    }
    return false;
  }

  expect(text: string): Token {
    if (!this.is(text)) throw this.error(`expected '${text}'`);
    return this.next();
  }

  ident(what = "identifier"): string {
    const t = this.peek();
    if (t.kind !== "ident") throw this.error(`expected ${what}`);
    this.next();
    return t.text;
  }

  /** An error without the "at <token>" suffix, for messages that already say what is wrong. */
  fail(message: string, line = this.line): Error {
    return this.map.error(line, message);
  }

  error(message: string, line = this.line): Error {
    const t = this.peek();
    const at = t.kind === "eof" ? "end of file" : `'${t.text}'`;
    return this.map.error(line, `${message} at ${at}`);
  }
}
