"use client";
import { useEffect } from "react";

/**
 * On a phone, tables collapse to one card per row (app/globals.css) and each cell shows its
 * column's name from `data-label`. This fills in `data-label` from the column header
 * (`<thead><th>`) for every table on the page, including rows that arrive later, so the shared
 * tables need no per-cell markup; a cell that sets its own `data-label` keeps it; a column whose
 * header is for screen readers only gets an empty label (no line of its own). Runs after
 * hydration, and only adds attributes React does not manage.
 */
export function TableLabels() {
  useEffect(() => {
    const label = (root: ParentNode) => {
      for (const table of root.querySelectorAll<HTMLTableElement>("table")) {
        const headers = table.tHead?.rows[0]?.cells;
        if (!headers) continue;
        const names: (string | null)[] = [];
        for (const th of headers) {
          // A header only screen readers see ("Actions" over a row's buttons) labels nothing on
          // the card either: an empty label, which shows no "Actions:" line.
          const hidden = th.querySelector(".sr-only");
          const name = hidden && hidden.textContent?.trim() === th.textContent?.trim() ? "" : (th.getAttribute("aria-label") ?? th.textContent ?? "").trim() || null;
          for (let span = 0; span < th.colSpan; span++) names.push(name);
        }
        for (const body of table.tBodies) {
          for (const row of body.rows) {
            let column = 0;
            for (const cell of row.cells) {
              const name = names[column];
              if (name !== null && name !== undefined && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", name);
              column += cell.colSpan;
            }
          }
        }
      }
    };
    label(document);
    let scheduled = false;
    const observer = new MutationObserver(() => {
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(() => {
        scheduled = false;
        label(document);
      });
    });
    observer.observe(document.body, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);
  return null;
}
