-- Slice F (issue 10, staff item 3): the help flag carries a note. The note itself is an end-to-end
-- encrypted internal note (a `staff`-stream envelope of the thread, posted by whoever raised the flag);
-- the server keeps only its envelope id beside the flag, and clears it when the flag is resolved.
ALTER TABLE `threads` ADD `flag_note_id` text;
