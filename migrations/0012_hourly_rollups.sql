CREATE TABLE `usage_hourly` (
	`dim` text NOT NULL,
	`span` integer NOT NULL,
	`hour` integer NOT NULL,
	`key` text NOT NULL,
	`calls` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`refused` integer DEFAULT 0 NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`cached_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`quota` integer DEFAULT 0 NOT NULL,
	`latency` text DEFAULT '{}' NOT NULL,
	`ttft` text DEFAULT '{}' NOT NULL,
	PRIMARY KEY(`dim`, `span`, `hour`, `key`)
);
