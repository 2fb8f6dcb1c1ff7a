// Test support: what the channel columns added after 0007 hold on a row made before them (0008's
// health, 0011's balance), for the migration tests that check every old row keeps its values.
export const CHANNEL_COLUMNS_SINCE_0008 = {
  health: "{}",
  health_epoch: 0,
  balance_source: "auto",
  balance_threshold_micros: 0,
  balance: "{}",
};
