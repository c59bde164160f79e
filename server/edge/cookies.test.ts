import { describe, expect, it } from "vitest";
import { parseCookies } from "./cookies";

describe("parseCookies", () => {
  it("reads name/value pairs as browsers send them", () => {
    expect(parseCookies("a=1; b=two;c=3")).toEqual([
      { name: "a", value: "1" },
      { name: "b", value: "two" },
      { name: "c", value: "3" },
    ]);
  });

  it("percent-decodes values that decode and keeps the rest as sent", () => {
    expect(parseCookies("cb=http%3A%2F%2Flocalhost%2F; bad=%E0%A4%A")).toEqual([
      { name: "cb", value: "http://localhost/" },
      { name: "bad", value: "%E0%A4%A" },
    ]);
  });

  it("keeps '=' inside values, strips quotes, skips empty names, and lets the first occurrence win", () => {
    expect(parseCookies('t=a.b=c=; q="x y"; =orphan; t=second; flag')).toEqual([
      { name: "t", value: "a.b=c=" },
      { name: "q", value: "x y" },
      { name: "flag", value: "" },
    ]);
  });

  it("answers nothing for a missing or empty header", () => {
    expect(parseCookies(null)).toEqual([]);
    expect(parseCookies("")).toEqual([]);
  });
});
