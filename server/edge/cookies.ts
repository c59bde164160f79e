/**
 * A request's `Cookie` header as name/value pairs, the way browsers send it (RFC 6265 §5.4:
 * `name=value` pairs joined by "; "). Values are percent-decoded when they decode (as Next's own
 * parser does), kept as sent when they do not; pairs without a name are skipped. The first
 * occurrence of a name wins, as in every mainstream server.
 */
export function parseCookies(header: string | null | undefined): { name: string; value: string }[] {
  if (!header) return [];
  const seen = new Set<string>();
  const pairs: { name: string; value: string }[] = [];
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    const name = (eq === -1 ? part : part.slice(0, eq)).trim();
    if (!name || seen.has(name)) continue;
    seen.add(name);
    let value = eq === -1 ? "" : part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      /* not percent-encoded: as sent */
    }
    pairs.push({ name, value });
  }
  return pairs;
}
