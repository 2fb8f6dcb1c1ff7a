/** @jsxImportSource @kitajs/html */
// The account's "Display" card: the language, currency and time zone this person reads the console
// in. Each may stay automatic (the browser's language and time zone, the server's currency).
import { CURRENCY_CODES } from "../../src/core/display-money";
import { LANGUAGE_CODES, LANGUAGES, type Translator } from "../../src/i18n";

export type DisplayView = {
  language: string;
  currency: string;
  time_zone: string;
  /** the server's display_currency and usd_to_cny */
  serverCurrency: string;
  rate: number;
};

const ZONES = Intl.supportedValuesOf("timeZone");

function Choice(props: { value: string; chosen: string; label: string }) {
  return (
    <option value={props.value} selected={props.value === props.chosen} safe>
      {props.label}
    </option>
  );
}

export function DisplayForm(props: { view: DisplayView; t: Translator }) {
  const { t } = props.t;
  const v = props.view;
  const currencyName = (code: string) =>
    code === "CNY" ? t("display.currency.CNY", { rate: String(v.rate) }) : t("display.currency.USD");
  return (
    <form id="display-form" class="card stack" hx-post="/account/display" hx-target="this" hx-swap="outerHTML">
      <h2 safe>{t("display.title")}</h2>
      <p class="muted small" safe>
        {t("display.lead")}
      </p>
      <label>
        <span safe>{t("display.language")}</span>
        <select name="language">
          <Choice value="" chosen={v.language} label={t("display.auto", { value: t("display.auto.browser") })} />
          {LANGUAGE_CODES.map((code) => (
            <Choice value={code} chosen={v.language} label={LANGUAGES[code].name} />
          ))}
        </select>
      </label>
      <label>
        <span safe>{t("display.currency")}</span>
        <select name="currency">
          <Choice value="" chosen={v.currency} label={t("display.auto", { value: currencyName(v.serverCurrency) })} />
          {CURRENCY_CODES.map((code) => (
            <Choice value={code} chosen={v.currency} label={currencyName(code)} />
          ))}
        </select>
      </label>
      <label>
        <span safe>{t("display.timeZone")}</span>
        <select name="time_zone">
          <Choice value="" chosen={v.time_zone} label={t("display.auto", { value: t("display.auto.browser") })} />
          {ZONES.map((zone) => (
            <Choice value={zone} chosen={v.time_zone} label={zone} />
          ))}
        </select>
      </label>
      <p class="muted small" safe>
        {t("display.note")}
      </p>
      <div class="row">
        <button type="submit" class="primary" safe>
          {t("common.save")}
        </button>
      </div>
    </form>
  );
}
