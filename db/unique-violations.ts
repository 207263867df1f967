/**
 * Whether `error`, as postgres.js throws it or drizzle wraps it (its cause),
 * is a unique violation (23505) of the index or constraint named `name`.
 */
export function isUniqueViolation(error: unknown, name: string): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const {
      code,
      constraint_name: constraint,
      cause,
    } = current as {
      code?: unknown;
      constraint_name?: unknown;
      cause?: unknown;
    };
    if (code === "23505" && constraint === name) return true;
    current = cause;
  }
  return false;
}
