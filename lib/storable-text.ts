import type { InputIssue } from "./errors";

/**
 * False for text holding a NUL, or a UTF-16 surrogate without its partner
 * (not well formed): PostgreSQL stores neither in text or jsonb, so input
 * holding one is refused at the door rather than failing in a query.
 */
export const isStorableText = (text: string) => !text.includes("\0") && text.isWellFormed();

const PROTO_MESSAGE = 'Unknown member "__proto__": no request has one.';

// Where a value sits, as a link to its parent: a path is only spelt out for
// an issue, so a walk of deeply nested JSON stays linear.
type Place = { key: PropertyKey; parent: Place } | null;

function pathOf(place: Place, root: PropertyKey[]): PropertyKey[] {
  const keys: PropertyKey[] = [];
  for (let at = place; at; at = at.parent) keys.push(at.key);
  return [...root, ...keys.reverse()];
}

/**
 * Every string (key or value) in a parsed JSON value that PostgreSQL could
 * not store, by path; and every member named "__proto__", which JSON.parse
 * keeps as an own member that validators then skip without a word (a strict
 * schema's unknown member would otherwise pass as nothing). Walks with a stack of its own, not recursion: JSON
 * nested thousands deep is valid, and must neither overflow ours nor cost
 * more than its size.
 */
export function unstorableText(value: unknown, root: PropertyKey[] = []): InputIssue[] {
  const message = "Text may not contain NUL characters or unpaired surrogates.";
  const issues: InputIssue[] = [];
  const pending: [unknown, Place][] = [[value, null]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, place] = next;
    if (typeof item === "string") {
      if (!isStorableText(item)) issues.push({ path: pathOf(place, root), message });
    } else if (Array.isArray(item)) {
      for (const [index, element] of item.entries()) pending.push([element, { key: index, parent: place }]);
    } else if (item && typeof item === "object") {
      for (const [key, member] of Object.entries(item)) {
        const at = { key, parent: place };
        if (!isStorableText(key)) issues.push({ path: pathOf(at, root), message });
        if (key === "__proto__") issues.push({ path: pathOf(at, root), message: PROTO_MESSAGE });
        pending.push([member, at]);
      }
    }
  }
  return issues;
}
