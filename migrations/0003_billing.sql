CREATE TABLE `holds` (
	`request_id` text PRIMARY KEY NOT NULL,
	`token_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`token_amount` integer NOT NULL,
	`user_amount` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `prices` (
	`model` text PRIMARY KEY NOT NULL,
	`input_micros` integer,
	`output_micros` integer,
	`cached_input_micros` integer,
	`per_call_micros` integer,
	`hold_cap_tokens` integer DEFAULT 8192 NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `usage_daily` (
	`day` text NOT NULL,
	`user_id` integer NOT NULL,
	`token_id` integer NOT NULL,
	`model` text NOT NULL,
	`group` text NOT NULL,
	`calls` integer DEFAULT 0 NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`cached_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`quota` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day`, `user_id`, `token_id`, `model`, `group`)
);
--> statement-breakpoint
CREATE INDEX `usage_daily_user_day` ON `usage_daily` (`user_id`,`day`);