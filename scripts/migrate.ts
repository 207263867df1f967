/** `npm run db:migrate`: applies migrations to DATABASE_URL (embedded PostgreSQL when unset). */
import { prepareDatabase } from "@/lib/db";

prepareDatabase().then(
  (url) => {
    console.log(`migrated ${new URL(url).host}${new URL(url).pathname}`);
    process.exit(0);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
