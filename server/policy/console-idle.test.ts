import { describe, expect, it } from "vitest";
import { consoleIdleMs, consoleIdlePhase, consoleIdleWarningMs, DEFAULT_CONSOLE_IDLE_MS, MIN_CONSOLE_IDLE_MS, sayIdleLimit } from "./console-idle";

describe("console idle limit", () => {
  it("is REALMGATE_CONSOLE_IDLE_MS, ten minutes by default, never below the minimum, never NaN", () => {
    expect(consoleIdleMs({})).toBe(DEFAULT_CONSOLE_IDLE_MS);
    expect(DEFAULT_CONSOLE_IDLE_MS).toBe(600_000);
    expect(consoleIdleMs({ REALMGATE_CONSOLE_IDLE_MS: "120000" })).toBe(120_000);
    expect(consoleIdleMs({ REALMGATE_CONSOLE_IDLE_MS: "50" })).toBe(MIN_CONSOLE_IDLE_MS);
    expect(MIN_CONSOLE_IDLE_MS).toBe(2_000);
    expect(consoleIdleMs({ REALMGATE_CONSOLE_IDLE_MS: "soon" })).toBe(DEFAULT_CONSOLE_IDLE_MS);
  });

  it("warns before closing: 30 s ahead, or a third of a short limit", () => {
    expect(consoleIdleWarningMs(600_000)).toBe(30_000);
    expect(consoleIdleWarningMs(15_000)).toBe(5_000);
  });

  it("a console is active, then warned, then expired as time passes without input", () => {
    expect(consoleIdlePhase(600_000, 0)).toEqual({ phase: "active", remainingMs: 600_000 });
    expect(consoleIdlePhase(600_000, 569_999).phase).toBe("active");
    expect(consoleIdlePhase(600_000, 570_000)).toEqual({ phase: "warning", remainingMs: 30_000 });
    expect(consoleIdlePhase(600_000, 600_000)).toEqual({ phase: "expired", remainingMs: 0 });
    expect(consoleIdlePhase(600_000, 900_000).phase).toBe("expired");
  });

  it("says the limit in words", () => {
    expect(sayIdleLimit(600_000)).toBe("10 minutes");
    expect(sayIdleLimit(60_000)).toBe("1 minute");
    expect(sayIdleLimit(45_000)).toBe("45 s");
  });
});
