/**
 * Runs once when a Next.js server starts, before it serves a request: make
 * sure the database exists (starting embedded PostgreSQL when DATABASE_URL is
 * unset) and is migrated.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { prepareDatabase } = await import("./db/prepare");
    await prepareDatabase();
  }
}
