CREATE INDEX `logs_user_type` ON `logs` (`user_id`,`type`,`id`);--> statement-breakpoint
CREATE INDEX `logs_user_created` ON `logs` (`user_id`,`created_at`);