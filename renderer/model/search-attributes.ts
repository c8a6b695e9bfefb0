/**
 * The attribute filter as an operator types it: `GenderCode=1; HairColor=4,1` → one entry per
 * key with its accepted values (all entries must match). Pure, so the rules are unit-tested.
 */
export type AttributeFilter = { key: string; values: string[] };

export function parseAttributes(text: string): { ok: true; filters: AttributeFilter[] } | { ok: false; error: string } {
  const filters: AttributeFilter[] = [];
  for (const part of text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z][A-Za-z0-9_]{0,63})\s*=\s*(.+)$/.exec(part);
    if (!m) return { ok: false, error: `“${part}” is not key=value` };
    const values = m[2]!
      .split(/[,，]/)
      .map((v) => v.trim())
      .filter(Boolean);
    if (values.length === 0 || values.length > 20 || values.some((v) => v.length > 64))
      return { ok: false, error: `“${m[1]}”: 1–20 values of at most 64 characters` };
    if (filters.some((f) => f.key === m[1])) return { ok: false, error: `“${m[1]}” appears twice` };
    filters.push({ key: m[1]!, values });
  }
  if (filters.length > 20) return { ok: false, error: 'At most 20 attributes' };
  return { ok: true, filters };
}
