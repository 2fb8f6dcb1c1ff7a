CREATE TABLE `channels` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`type` text DEFAULT 'openai' NOT NULL,
	`base_url` text NOT NULL,
	`keys_sealed` text NOT NULL,
	`models` text DEFAULT '[]' NOT NULL,
	`model_mapping` text DEFAULT '{}' NOT NULL,
	`groups` text DEFAULT '["default"]' NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`weight` integer DEFAULT 1 NOT NULL,
	`status` integer DEFAULT 1 NOT NULL,
	`status_reason` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` integer NOT NULL,
	`type` integer NOT NULL,
	`user_id` integer NOT NULL,
	`username` text DEFAULT '' NOT NULL,
	`token_id` integer DEFAULT 0 NOT NULL,
	`token_name` text DEFAULT '' NOT NULL,
	`model` text DEFAULT '' NOT NULL,
	`group` text DEFAULT '' NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`cached_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`quota` integer DEFAULT 0 NOT NULL,
	`duration_ms` integer DEFAULT 0 NOT NULL,
	`ttft_ms` integer DEFAULT 0 NOT NULL,
	`is_stream` integer DEFAULT false NOT NULL,
	`request_id` text DEFAULT '' NOT NULL,
	`ip` text DEFAULT '' NOT NULL,
	`content` text DEFAULT '' NOT NULL,
	`other` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `logs_user_id` ON `logs` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `logs_created_at` ON `logs` (`created_at`);--> statement-breakpoint
CREATE INDEX `logs_request_id` ON `logs` (`request_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	`key_hash` text NOT NULL,
	`key_sealed` text NOT NULL,
	`key_mask` text NOT NULL,
	`status` integer DEFAULT 1 NOT NULL,
	`remain_quota` integer DEFAULT 0 NOT NULL,
	`unlimited_quota` integer DEFAULT false NOT NULL,
	`used_quota` integer DEFAULT 0 NOT NULL,
	`expired_time` integer DEFAULT -1 NOT NULL,
	`billing_mode` text DEFAULT 'usage_first' NOT NULL,
	`group` text DEFAULT 'default' NOT NULL,
	`fallback_groups` text DEFAULT '[]' NOT NULL,
	`models` text DEFAULT '[]' NOT NULL,
	`allow_ips` text DEFAULT '[]' NOT NULL,
	`request_count` integer DEFAULT 0 NOT NULL,
	`created_time` integer DEFAULT (unixepoch()) NOT NULL,
	`accessed_time` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group`) REFERENCES `groups`(`name`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_tokens`("id", "user_id", "name", "key_hash", "key_sealed", "key_mask", "status", "remain_quota", "unlimited_quota", "used_quota", "expired_time", "billing_mode", "group", "fallback_groups", "models", "allow_ips", "created_time", "accessed_time") SELECT "id", "user_id", "name", "key_hash", "key_sealed", "key_mask", "status", "remain_quota", "unlimited_quota", "used_quota", "expired_time", "billing_mode", "group", coalesce("fallback_groups", '[]'), coalesce("models", '[]'), coalesce("allow_ips", '[]'), "created_time", "accessed_time" FROM `tokens`;--> statement-breakpoint
DROP TABLE `tokens`;--> statement-breakpoint
ALTER TABLE `__new_tokens` RENAME TO `tokens`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_key_hash_unique` ON `tokens` (`key_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_user_name` ON `tokens` (`user_id`,`name`);--> statement-breakpoint
CREATE TABLE `__new_users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text DEFAULT 'user' NOT NULL,
	`status` integer DEFAULT 1 NOT NULL,
	`quota` integer DEFAULT 0 NOT NULL,
	`used_quota` integer DEFAULT 0 NOT NULL,
	`unlimited` integer DEFAULT false NOT NULL,
	`request_count` integer DEFAULT 0 NOT NULL,
	`access_token_hash` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_users`("id", "username", "password_hash", "role", "status", "quota", "used_quota", "unlimited", "request_count", "access_token_hash", "created_at") SELECT "id", "username", "password_hash", "role", "status", "quota", "used_quota", "unlimited", "request_count", "access_token_hash", "created_at" FROM `users`;--> statement-breakpoint
DROP TABLE `users`;--> statement-breakpoint
ALTER TABLE `__new_users` RENAME TO `users`;--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_access_token_hash_unique` ON `users` (`access_token_hash`);