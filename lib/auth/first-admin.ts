import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { users } from "@/db/schema";
import { config } from "@/lib/config";
import { getDb } from "@/lib/db";
import { logger } from "@/lib/logger";
import { getAuth } from "./auth";

// Any constant works; only our processes take it.
const FIRST_ADMIN_LOCK_KEY = 730_120_203;

/**
 * Makes sure an admin can sign in to a fresh install: when no admin exists,
 * creates ACCEPTED_ADMIN_EMAIL with ACCEPTED_ADMIN_PASSWORD, or with a
 * generated password printed once here. An advisory lock keeps two web
 * instances starting together from both creating one.
 */
export async function ensureFirstAdmin(): Promise<void> {
  const settings = config();
  const auth = await getAuth();
  await getDb().transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FIRST_ADMIN_LOCK_KEY})`);
    const [admin] = await tx.select({ id: users.id }).from(users).where(eq(users.role, "admin")).limit(1);
    if (admin) return;

    const email = settings.ACCEPTED_ADMIN_EMAIL.toLowerCase();
    const password = settings.ACCEPTED_ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    // better-auth hashes the password and writes user and account; it commits on its own connection.
    if (!existing) await auth.api.signUpEmail({ body: { email, password, name: "Admin" } });
    await tx.update(users).set({ role: "admin" }).where(eq(users.email, email));

    if (settings.ACCEPTED_ADMIN_PASSWORD) {
      logger.info({ email }, "created the first admin from ACCEPTED_ADMIN_EMAIL / ACCEPTED_ADMIN_PASSWORD");
    } else if (!existing) {
      // Printed, not logged as JSON: this is the one time anyone sees it.
      console.log(
        `\n  First admin created. Sign in at /sign-in with\n    email:    ${email}\n    password: ${password}\n  (shown once; set ACCEPTED_ADMIN_PASSWORD to choose it)\n`,
      );
    } else {
      logger.info({ email }, "made the existing user the first admin");
    }
  });
}
