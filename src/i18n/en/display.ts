// English: the account's Display card (language, currency, time zone) and the notifications people read.
export const enDisplay = {
  "display.title": "Display",
  "display.lead": "The language, currency and time zone this console shows you.",
  "display.language": "Language",
  "display.currency": "Currency",
  "display.timeZone": "Time zone",
  "display.auto": "Automatic ({value})",
  "display.auto.browser": "your browser's",
  "display.currency.USD": "US dollars ($)",
  "display.currency.CNY": "Yuan (¥), ¥{rate} per $1",
  "display.note": "Balances stay stored in quota units (500,000 = $1): only how amounts are shown and typed changes.",
  "notify.title.balance_low": "Balance low",
  "notify.title.channel_disabled": "Channel disabled automatically",
  "notify.title.breaker_open": "Channel breaker open",
  "notify.title.upstream_balance_low": "Upstream balance low",
  "notify.balanceLow": "{username}: your balance is {balance}, below your alert threshold of {threshold}",
  "notify.channel": "channel {id} ({name}): {detail}",
  "notify.channelDisabled": "disabled automatically: every upstream key was rejected; last: {reason}",
  "notify.breakerOpen": "its breaker has been open for {minutes} minutes",
  "notify.upstreamLow":
    "upstream balance {balance} {currency} is below the threshold {threshold}: the channel is out of rotation until it is topped up",
} as const;
