-- 0003_jobs.sql — work done off the event loop: exports now, imports,
-- linkage, PDFs and long aggregates later (src/job/job.h).
--
-- A job is claimed by one server at a time: the claiming UPDATE only
-- matches a row still 'queued', so two servers on one database never run
-- the same job. heartbeat_at is refreshed while a job runs, so a job left
-- 'running' by a server that died can be told from one still at work.

CREATE TABLE job (
	id {{ID}},
	kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
	user_id {{INT}} REFERENCES app_user (id),  -- NULL: asked for on the command line
	actor TEXT NOT NULL,                     -- login (or "(cli:USER)") for audit rows
	institution_id {{INT}} REFERENCES institution (id),
	state TEXT NOT NULL DEFAULT 'queued'
		CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
	done {{INT}} NOT NULL DEFAULT 0,
	total {{INT}} NOT NULL DEFAULT 0,
	params TEXT NOT NULL DEFAULT '{}',      -- JSON, read by the job kind
	cancel_requested {{INT}} NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
	result_file TEXT,                       -- file name under job_dir; NULL when none or expired
	result_name TEXT,                       -- file name offered for download
	result_type TEXT,                       -- its Content-Type
	result_size {{INT}},
	error TEXT,                             -- why it failed (shown to the user)
	server TEXT,                            -- the server that claimed it
	created_at TEXT NOT NULL,
	started_at TEXT,
	heartbeat_at TEXT,
	finished_at TEXT
) {{STRICT}};
CREATE INDEX job_queue ON job (state, id);
CREATE INDEX job_user ON job (user_id, id);
