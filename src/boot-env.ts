// Imported first by main.ts: inside the compiled binary Elysia must see NODE_ENV=production when it
// loads, or it sends full validation details to clients.
if (Bun.isStandaloneExecutable && !process.env.NODE_ENV) process.env.NODE_ENV = "production";
