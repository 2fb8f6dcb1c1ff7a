DROP INDEX `logs_user_type`;--> statement-breakpoint
CREATE INDEX `logs_user_rare` ON `logs` (`user_id`,`type`,`id`) WHERE "type" IN (1, 3, 4);