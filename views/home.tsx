/** @jsxImportSource @kitajs/html */
// The landing page: what this server is and where its API and docs are.
import { Layout } from "./layout";

export function HomePage(props: { version: string }) {
  return (
    <Layout title="apiyi">
      <main class="card">
        <h1>
          apiyi <small safe>v{props.version}</small>
        </h1>
        <p>A self-hosted LLM API gateway. This server is running.</p>
        <ul>
          <li>
            Management API: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1)
          </li>
          <li>
            Health: <a href="/healthz">/healthz</a>, readiness: <a href="/readyz">/readyz</a>
          </li>
        </ul>
      </main>
    </Layout>
  );
}
