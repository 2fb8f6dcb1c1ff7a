// /openapi.json: the management API described from the same zod schemas the services validate with.
import { z } from "zod";
import { VERSION } from "../version";
import type { RouteSpec } from "./route";

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });

const reply = (description: string) => ({
  description,
  content: {
    "application/json": {
      schema: {
        type: "object",
        properties: { success: { type: "boolean" }, message: { type: "string" }, data: {} },
        required: ["success", "message", "data"],
      },
    },
  },
});

function operation(spec: RouteSpec) {
  const params = [...spec.path.matchAll(/:(\w+)/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: m[1] === "id" ? "integer" : "string" },
  }));
  const query = spec.query
    ? ((jsonSchema(spec.query) as { properties?: Record<string, object> }).properties ?? {})
    : {};
  return {
    summary: spec.summary,
    tags: [spec.tag],
    security: spec.access === "public" ? [] : [{ session: [] }, { accessToken: [] }],
    parameters: [...params, ...Object.entries(query).map(([name, schema]) => ({ name, in: "query", schema }))],
    ...(spec.body
      ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(spec.body) } } } }
      : {}),
    responses: {
      [spec.creates ? "201" : "200"]: reply("success"),
      "400": reply("the body is not JSON"),
      "401": reply("not signed in"),
      "403": reply("not allowed"),
      "404": reply("no such resource (or not yours)"),
      "409": reply("conflict"),
      "413": reply("the body is larger than management_body_limit_kb"),
      "415": reply("a body (or content type) that is not application/json"),
      "422": reply("a field failed validation; the message names it"),
    },
  };
}

export function openApiDocument(specs: RouteSpec[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const path = spec.path.replace(/:(\w+)/g, "{$1}");
    (paths[path] ??= {})[spec.method.toLowerCase()] = operation(spec);
  }
  return {
    openapi: "3.1.0",
    info: { title: "apiyi management API", version: VERSION },
    components: {
      securitySchemes: {
        session: {
          type: "apiKey",
          in: "cookie",
          name: "apiyi_session",
          description:
            "from POST /api/user/login; a write (POST/PUT/DELETE) with it also needs X-CSRF-Token: data.csrf_token of the sign-in reply, and no foreign Origin",
        },
        accessToken: {
          type: "apiKey",
          in: "header",
          name: "Authorization",
          description: "the token from POST /api/user/token, bare or after Bearer",
        },
      },
    },
    paths,
  };
}
