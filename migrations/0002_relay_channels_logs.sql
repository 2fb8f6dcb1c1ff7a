ALTER TABLE `channels` ADD `key_states` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `channels` ADD `timeout_connect_ms` integer DEFAULT 10000 NOT NULL;--> statement-breakpoint
ALTER TABLE `channels` ADD `timeout_first_byte_ms` integer DEFAULT 120000 NOT NULL;--> statement-breakpoint
ALTER TABLE `channels` ADD `timeout_idle_ms` integer DEFAULT 300000 NOT NULL;--> statement-breakpoint
ALTER TABLE `logs` ADD `upstream_model` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `logs` ADD `channel_id` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `logs` ADD `endpoint` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `logs` ADD `status_code` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `logs` ADD `error_code` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `logs` ADD `attempts` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
CREATE INDEX `logs_user_token` ON `logs` (`user_id`,`token_name`,`id`);--> statement-breakpoint
CREATE INDEX `logs_user_model` ON `logs` (`user_id`,`model`,`id`);--> statement-breakpoint
CREATE INDEX `logs_model` ON `logs` (`model`,`id`);