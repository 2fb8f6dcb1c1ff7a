// Test-only fault, loaded into a server run from source with `bun --preload` (it exists nowhere in the
// app): Response.json throws for two successful /v1 replies (OpenAI's model list, and a token count made
// locally) as an unexpected error would, so a test can check that such errors are logged.
const original = Response.json.bind(Response);

Response.json = ((data: unknown, init?: ResponseInit) => {
  const reply = data as Record<string, unknown> | null;
  if (reply && typeof reply === "object" && (reply.object === "list" || "input_tokens" in reply)) {
    throw new Error("injected fault: this reply could not be built");
  }
  return original(data, init);
}) as typeof Response.json;
