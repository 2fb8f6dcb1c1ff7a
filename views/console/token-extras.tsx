/** @jsxImportSource @kitajs/html */
// The "Request example" and "Share" dialogs of the /token wrench menu: snippets and one-click links
// with the token's full key and the server's public address, each with a copy button. In the
// reader's language (`t`); the snippets themselves are code and stay as they are.
import { TOKEN_STATUS } from "../../src/core/status";
import type { PlainKey, Translator } from "../../src/i18n";
import { DoneButton, Rich } from "./kit";

export type Snippet = { id: string; title: string; text: string; note?: string };
export type ShareLink = { id: string; app: string; what: string; href: string; web?: boolean };
type TokenBrief = { id: number; name: string; status: number };

const STATUS_WORD: Record<number, PlainKey> = {
  [TOKEN_STATUS.disabled]: "tokens.status.disabled",
  [TOKEN_STATUS.expired]: "tokens.status.expired",
  [TOKEN_STATUS.exhausted]: "tokens.status.exhausted",
};

/** Kita escapes only `"` in attribute values; `&` is escaped here so that no text (a URL's `&copy=`…)
 * can ever be read as a character reference by the browser. */
const attr = (s: string) => s.replaceAll("&", "&amp;");

/** Already escaped: JSX text would decode `&lt;port&gt;` at compile time and send a bare <port> tag. */
const LOCAL_ADDRESS = "http://127.0.0.1:&lt;port&gt;";

function StatusNote(props: { status: number; t: Translator }) {
  const word = STATUS_WORD[props.status];
  if (!word) return "";
  return (
    <p class="alert warn" role="note" safe>
      {props.t.t("extras.statusNote", { status: props.t.t(word) })}
    </p>
  );
}

/** `unset`: what the missing address does to this dialog (its sentence in the catalog). */
function AddressNote(props: {
  publicUrl: string;
  admin: boolean;
  unset: "extras.noAddress.snippets" | "extras.noAddress.share";
  t: Translator;
}) {
  const tr = props.t;
  if (props.publicUrl) {
    return (
      <p class="muted small">
        <Rich t={tr} k="extras.address" parts={{ url: (<code safe>{props.publicUrl}</code>) as string }} />
      </p>
    );
  }
  const parts = { placeholder: "<code>YOUR_APIYI_URL</code>", local: `<code>${LOCAL_ADDRESS}</code>` };
  return (
    <p class="alert warn" role="note">
      <Rich t={tr} k={props.unset} parts={parts} />{" "}
      <span safe>{tr.t(props.admin ? "extras.noAddress.admin" : "extras.noAddress.user")}</span>
    </p>
  );
}

function CodeBlock(props: { s: Snippet; t: Translator }) {
  const s = props.s;
  return (
    <section class="snippet" id={`snippet-${s.id}`}>
      <header>
        <h3 safe>{s.title}</h3>
        <button type="button" class="small" data-copy={attr(s.text)} safe>
          {props.t.t("common.copy")}
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

function Head(props: { title: string; name: string; t: Translator }) {
  return (
    <header class="dialog-head">
      <h2>
        <span safe>{props.title}</span> · <span safe>{props.name}</span>
      </h2>
      <button type="button" class="icon" data-close aria-label={props.t.t("extras.close")}>
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
  t: Translator;
}) {
  const t = props.token;
  const tr = props.t;
  return (
    <dialog data-autoopen class="form-dialog extras-dialog" id="example-dialog">
      <Head title={tr.t("extras.example.title")} name={t.name} t={tr} />
      <StatusNote status={t.status} t={tr} />
      <AddressNote publicUrl={props.publicUrl} admin={props.admin} unset="extras.noAddress.snippets" t={tr} />
      {props.model ? (
        <label class="inline-field">
          <span safe>{tr.t("extras.model")}</span>
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
          <Rich t={tr} k="extras.noModel" parts={{ placeholder: "<code>MODEL_NAME</code>" }} />
        </p>
      )}
      {props.snippets.map((s) => (
        <CodeBlock s={s} t={tr} />
      ))}
      <DoneButton t={tr} />
    </dialog>
  );
}

export function ShareDialog(props: {
  token: TokenBrief;
  publicUrl: string;
  admin: boolean;
  links: ShareLink[];
  block: string;
  t: Translator;
}) {
  const t = props.token;
  const tr = props.t;
  return (
    <dialog data-autoopen class="form-dialog extras-dialog" id="share-dialog">
      <Head title={tr.t("extras.share.title")} name={t.name} t={tr} />
      <StatusNote status={t.status} t={tr} />
      <AddressNote publicUrl={props.publicUrl} admin={props.admin} unset="extras.noAddress.share" t={tr} />
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
                  safe
                >
                  {tr.t("extras.open")}
                </a>
                <button type="button" data-copy={attr(l.href)} safe>
                  {tr.t("extras.copyLink")}
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
          <h3 safe>{tr.t("extras.block.title")}</h3>
          <button type="button" class="small" data-copy={attr(props.block)} safe>
            {tr.t("common.copy")}
          </button>
        </header>
        <pre>
          <code safe>{props.block}</code>
        </pre>
      </section>
      <p class="muted small" safe>
        {tr.t("extras.shareWarning")}
      </p>
      <DoneButton t={tr} />
    </dialog>
  );
}
