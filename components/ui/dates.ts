/**
 * Dates as every page writes them, one format everywhere ("Dec 2, 2026" and "Dec 2, 2026,
 * 10:45:19 AM", as the audit trail): the browser's defaults mixed "12/2/2026" in beside them,
 * which reads as February in most of the world.
 */
export const sayDate = (date: Date): string => date.toLocaleDateString("en-US", { dateStyle: "medium" });
export const sayDateTime = (date: Date): string => date.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "medium" });
