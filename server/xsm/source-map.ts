import { policyError, type XsmError } from "./errors";

/**
 * Maps lines of the text the parser reads (m4/cpp output) back to the files they came from,
 * using `#line N "file"` directives (m4 -s, cpp) and cpp's short form `# N "file"`. A
 * directive on physical line P says that line P + 1 is line N of `file`; without a file name
 * it keeps the current one. Without directives every line is its own line of `defaultFile`.
 */
export interface SourceLocation {
  file: string;
  line: number;
}

interface Mark {
  phys: number;
  file: string;
  line: number;
}

const DIRECTIVE = /^[ \t]*#[ \t]*(?:line[ \t]+)?(\d+)(?:[ \t]+"([^"\n]*)")?[ \t]*\r?$/;

export class SourceMap {
  private constructor(
    readonly defaultFile: string,
    private readonly marks: readonly Mark[],
  ) {}

  static identity(file: string): SourceMap {
    return new SourceMap(file, []);
  }

  /** Scans the text for line directives (the lexer treats them as comments). */
  static scan(text: string, file: string): SourceMap {
    const marks: Mark[] = [];
    let current = file;
    let phys = 1;
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf("\n", start);
      if (end < 0) end = text.length;
      if (text.charCodeAt(start) === 35 /* # */ || text[start] === " " || text[start] === "\t") {
        const m = DIRECTIVE.exec(text.slice(start, end));
        if (m && (m[2] !== undefined || /#[ \t]*line/.test(text.slice(start, end)))) {
          if (m[2] !== undefined) current = m[2];
          marks.push({ phys: phys + 1, file: current, line: Number(m[1]) });
        }
      }
      start = end + 1;
      phys++;
    }
    return new SourceMap(file, marks);
  }

  /** Whether the text carried any directive (errors then name original files). */
  get mapped(): boolean {
    return this.marks.length > 0;
  }

  locate(phys: number): SourceLocation {
    const marks = this.marks;
    let lo = 0;
    let hi = marks.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (marks[mid]!.phys <= phys) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return { file: this.defaultFile, line: phys };
    const m = marks[found]!;
    return { file: m.file, line: m.line + (phys - m.phys) };
  }

  /** `file:line` of a physical line. */
  where(phys: number): string {
    const l = this.locate(phys);
    return `${l.file}:${l.line}`;
  }

  error(phys: number, message: string): XsmError {
    const l = this.locate(phys);
    return policyError(l.file, l.line, message);
  }
}
