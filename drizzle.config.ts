import { defineConfig } from "drizzle-kit";

// drizzle-kit only generates SQL from db/schema.ts; it never connects, so no
// credentials are needed. graphile-worker owns its own schema
// (graphile_worker) and installs it itself, so drizzle looks at public only.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
  schemaFilter: ["public"],
});
