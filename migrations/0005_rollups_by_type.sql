PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_usage_daily` (
	`day` text NOT NULL,
	`user_id` integer NOT NULL,
	`token_id` integer NOT NULL,
	`model` text NOT NULL,
	`group` text NOT NULL,
	`type` integer DEFAULT 2 NOT NULL,
	`calls` integer DEFAULT 0 NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`cached_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`quota` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day`, `user_id`, `token_id`, `model`, `group`, `type`)
);
--> statement-breakpoint
INSERT INTO `__new_usage_daily`("day", "user_id", "token_id", "model", "group", "type", "calls", "prompt_tokens", "cached_tokens", "completion_tokens", "quota") SELECT "day", "user_id", "token_id", "model", "group", 2, "calls", "prompt_tokens", "cached_tokens", "completion_tokens", "quota" FROM `usage_daily`;--> statement-breakpoint
DROP TABLE `usage_daily`;--> statement-breakpoint
ALTER TABLE `__new_usage_daily` RENAME TO `usage_daily`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `usage_daily_user_day` ON `usage_daily` (`user_id`,`day`);