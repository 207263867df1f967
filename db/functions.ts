import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type postgres from "postgres";

/**
 * The SQL functions and triggers, each defined once in db/functions/*.sql
 * (migrations keep the tables and indexes). Each file is applied whole, in
 * one transaction with the others, when its text differs from what was last
 * applied: an unchanged start takes no lock on the tables they name. Runs
 * after the migrations and graphile-worker's schema (db/migrate.ts).
 */
export async function applySqlDefinitions(sql: postgres.Sql): Promise<string[]> {
  const folder = path.resolve(process.cwd(), "db/functions");
  const files = (await readdir(folder)).filter((name) => name.endsWith(".sql")).sort();
  const definitions = await Promise.all(
    files.map(async (file) => {
      const text = await readFile(path.join(folder, file), "utf8");
      return { file, text, sha256: createHash("sha256").update(text).digest("hex") };
    }),
  );
  const applied = new Map(
    (await sql<{ file: string; sha256: string }[]>`select file, sha256 from sql_definitions`).map((row) => [
      row.file,
      row.sha256,
    ]),
  );
  const changed = definitions.filter((definition) => applied.get(definition.file) !== definition.sha256);
  if (changed.length === 0) return [];
  await sql.begin(async (tx) => {
    for (const { file, text, sha256 } of changed) {
      await tx.unsafe(text).simple();
      await tx`insert into sql_definitions (file, sha256) values (${file}, ${sha256})
        on conflict (file) do update set sha256 = excluded.sha256, applied_at = now()`;
    }
  });
  return changed.map((definition) => definition.file);
}
