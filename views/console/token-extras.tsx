/** @jsxImportSource @kitajs/html */
// The "Request example" and "Share" dialogs of the /token wrench menu: snippets and one-click links
// with the token's full key and the server's public address, each with a copy button.
import { TOKEN_STATUS } from "../../src/core/status";
import { DoneButton } from "./kit";

export type Snippet = { id: string; title: string; text: string; note?: string };
export type ShareLink = { id: string; app: string; what: string; href: string; web?: boolean };
type TokenBrief = { id: number; name: string; status: number };

const STATUS_WORD: Record<number, string> = {
  [TOKEN_STATUS.disabled]: "disabled",
  [TOKEN_STATUS.expired]: "expired",
  [TOKEN_STATUS.exhausted]: "exhausted",
};

/** Kita escapes only `"` in attribute values; `&` is escaped here so that no text (a URL's `&copy=`…)
 * can ever be read as a character reference by the browser. */
const attr = (s: string) => s.replaceAll("&", "&amp;");

/** Already escaped: JSX text would decode `&lt;port&gt;` at compile time and send a bare <port> tag. */
const LOCAL_ADDRESS = "http://127.0.0.1:&lt;port&gt;";

function StatusNote(props: { status: number }) {
  const word = STATUS_WORD[props.status];
  if (!word) return "";
  return (
    <p class="alert warn" role="note" safe>
      {`This token is ${word}: calls with its key fail until that changes.`}
    </p>
  );
}

function AddressNote(props: { publicUrl: string; admin: boolean; what: string }) {
  if (props.publicUrl) {
    return (
      <p class="muted small">
        Address: <code safe>{props.publicUrl}</code> (the server's public URL setting).
      </p>
    );
  }
  return (
    <p class="alert warn" role="note">
      This server's public address is not set, so <span safe>{props.what}</span> <code>YOUR_APIYI_URL</code>: put the
      address your clients reach this server at in its place (for a server on this computer,{" "}
      <code>{LOCAL_ADDRESS}</code>).{" "}
      {props.admin
        ? "Set it once under Admin → Settings (public_url), or start the server with --public-url https://api.example.com."
        : "Ask an admin to set the public URL (Admin → Settings, or --public-url)."}
    </p>
  );
}

function CodeBlock(props: { s: Snippet }) {
  const s = props.s;
  return (
    <section class="snippet" id={`snippet-${s.id}`}>
      <header>
        <h3 safe>{s.title}</h3>
        <button type="button" class="small" data-copy={attr(s.text)}>
          Copy
        </button>
      </header>
      {s.note ? (
        <p class="muted small" safe>
          {s.note}
        </p>
      ) : (
        ""
      )}
      <pre>
        <code safe>{s.text}</code>
      </pre>
    </section>
  );
}

function Head(props: { title: string; name: string }) {
  return (
    <header class="dialog-head">
      <h2>
        <span safe>{props.title}</span> · <span safe>{props.name}</span>
      </h2>
      <button type="button" class="icon" data-close aria-label="Close">
        ✕
      </button>
    </header>
  );
}

export function ExampleDialog(props: {
  token: TokenBrief;
  publicUrl: string;
  admin: boolean;
  models: string[];
  model: string | null;
  snippets: Snippet[];
}) {
  const t = props.token;
  return (
    <dialog data-autoopen class="form-dialog extras-dialog" id="example-dialog">
      <Head title="Request example" name={t.name} />
      <StatusNote status={t.status} />
      <AddressNote publicUrl={props.publicUrl} admin={props.admin} what="the snippets say" />
      {props.model ? (
        <label class="inline-field">
          Model
          <select name="model" hx-get={`/token/${t.id}/example`} hx-target="#dialog-slot">
            {props.models.map((m) => (
              <option value={m} selected={m === props.model} safe>
                {m}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <p class="alert warn" role="note">
          This token cannot call any model right now: no enabled channel in its groups serves a model that its whitelist
          allows and its billing mode can bill. The snippets say <code>MODEL_NAME</code>.
        </p>
      )}
      {props.snippets.map((s) => (
        <CodeBlock s={s} />
      ))}
      <DoneButton />
    </dialog>
  );
}

export function ShareDialog(props: {
  token: TokenBrief;
  publicUrl: string;
  admin: boolean;
  links: ShareLink[];
  block: string;
}) {
  const t = props.token;
  return (
    <dialog data-autoopen class="form-dialog extras-dialog" id="share-dialog">
      <Head title="Share / one-click setup" name={t.name} />
      <StatusNote status={t.status} />
      <AddressNote
        publicUrl={props.publicUrl}
        admin={props.admin}
        what="the one-click links are off and the block below says"
      />
      {props.links.length ? (
        <ul class="share-links">
          {props.links.map((l) => (
            <li data-app={l.id}>
              <div>
                <strong safe>{l.app}</strong>
                <small class="muted" safe>
                  {l.what}
                </small>
              </div>
              <div class="link-actions">
                <a
                  class="button primary"
                  href={attr(l.href)}
                  target={l.web ? "_blank" : undefined}
                  rel={l.web ? "noopener noreferrer" : undefined}
                >
                  Open
                </a>
                <button type="button" data-copy={attr(l.href)}>
                  Copy link
                </button>
              </div>
            </li>
          ))}
        </ul>
      ) : (
        ""
      )}
      <section class="snippet" id="snippet-base">
        <header>
          <h3>Base URL + key</h3>
          <button type="button" class="small" data-copy={attr(props.block)}>
            Copy
          </button>
        </header>
        <pre>
          <code safe>{props.block}</code>
        </pre>
      </section>
      <p class="muted small">
        Anyone with these links or this key can spend the token's quota. Share them only with people you trust.
      </p>
      <DoneButton />
    </dialog>
  );
}
