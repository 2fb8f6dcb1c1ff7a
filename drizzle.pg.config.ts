// drizzle-kit settings for PostgreSQL: `bun run db:generate:pg` writes a new migration into migrations/pg/
// from src/db/pg/schema.ts (the mirror of src/db/schema.ts; the SQLite side keeps drizzle.config.ts) and
// src/db/pg/schema-leases.ts and schema-rates.ts (PostgreSQL only).
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: ["./src/db/pg/schema.ts", "./src/db/pg/schema-leases.ts", "./src/db/pg/schema-rates.ts"],
  out: "./migrations/pg",
});
