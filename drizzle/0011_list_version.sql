-- Issue 14, session 9: the staff inbox's refresh with nothing new is answered 304 from this value
-- alone, without building the page (routes/threads/list-tag.ts). It must change with every write that
-- can change what GET /api/threads answers any staff member of the helpline: the helpline's threads
-- (every column; the summary, the views' filters and the order are all read from the row), their
-- staff readers (the "mine" view and a counsellor's "flagged" view join them) and the helpline row
-- itself (its reply time is in every summary's replyDueAt; any other change is rare and renews it
-- too). Triggers rather than application code, so that no write path, present or future, the admin
-- CLI or an older server writing to this database can forget it. The caller's own role, intake flag
-- and identity are not stamped here: they are part of the tag itself.
-- A new random value (within JavaScript's safe integers) rather than value + 1: a database restored
-- from a backup cannot come back to a value a client already holds for other content.
ALTER TABLE `helplines` ADD `list_version` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
CREATE TRIGGER `list_version_thread_insert` AFTER INSERT ON `threads` BEGIN
	UPDATE `helplines` SET `list_version` = random() % 9007199254740992 WHERE `id` = NEW.`helpline_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `list_version_thread_update` AFTER UPDATE ON `threads` BEGIN
	UPDATE `helplines` SET `list_version` = random() % 9007199254740992
	WHERE `id` IN (OLD.`helpline_id`, NEW.`helpline_id`);
END;
--> statement-breakpoint
-- Also fires for the rows a foreign key's ON DELETE CASCADE removes (a help-seeker's row deleted).
CREATE TRIGGER `list_version_thread_delete` AFTER DELETE ON `threads` BEGIN
	UPDATE `helplines` SET `list_version` = random() % 9007199254740992 WHERE `id` = OLD.`helpline_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `list_version_reader_insert` AFTER INSERT ON `thread_readers` BEGIN
	UPDATE `helplines` SET `list_version` = random() % 9007199254740992
	WHERE `id` = (SELECT `helpline_id` FROM `threads` WHERE `id` = NEW.`thread_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `list_version_reader_update` AFTER UPDATE ON `thread_readers` BEGIN
	UPDATE `helplines` SET `list_version` = random() % 9007199254740992
	WHERE `id` IN (SELECT `helpline_id` FROM `threads` WHERE `id` IN (OLD.`thread_id`, NEW.`thread_id`));
END;
--> statement-breakpoint
-- A reader deleted with their thread finds no thread here; the thread's own trigger renewed the value.
CREATE TRIGGER `list_version_reader_delete` AFTER DELETE ON `thread_readers` BEGIN
	UPDATE `helplines` SET `list_version` = random() % 9007199254740992
	WHERE `id` = (SELECT `helpline_id` FROM `threads` WHERE `id` = OLD.`thread_id`);
END;
--> statement-breakpoint
-- Any change of the row but the value itself (so the triggers above do not set this one off).
CREATE TRIGGER `list_version_helpline_update` AFTER UPDATE ON `helplines`
WHEN OLD.`list_version` IS NEW.`list_version` BEGIN
	UPDATE `helplines` SET `list_version` = random() % 9007199254740992 WHERE `id` = NEW.`id`;
END;
