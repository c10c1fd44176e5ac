-- 0019_linkage.sql — record linkage in the database (src/link/store.c):
-- links between person records of different institutions, the review
-- queue, the reviewers' decisions, the derived clusters (one human), the
-- stored model, the per-institution high-water mark of incremental runs,
-- the blocking keys of every record, and merges of duplicates within one
-- institution (reversible: every moved reference is remembered).
--
-- A link is a separate, reversible fact: the records stay owned by their
-- institutions. person_a < person_b always, so a pair has one row.
-- States: auto (the linker, above the upper threshold, or an equal valid
-- PESEL), confirmed (a reviewer: "same person"), separated (a reviewer:
-- "different people") and unlinked (a reviewer undid a link). separated
-- and unlinked are cannot-link constraints: the linker never changes a
-- row a person decided, however high the pair's score.

CREATE TABLE link_model (
	id {{ID}},
	created_at TEXT NOT NULL,
	records {{INT}} NOT NULL,     -- records the model was estimated from
	upper_p {{DOUBLE}} NOT NULL,  -- upper threshold (probability): linked at or above
	lower_p {{DOUBLE}} NOT NULL,  -- lower threshold: reviewed between the two
	model TEXT NOT NULL           -- link.h link_model_save() text
) {{STRICT}};

CREATE TABLE link_run (
	id {{ID}},
	institution_id {{INT}} REFERENCES institution (id), -- NULL: the whole register
	started_at TEXT NOT NULL,
	finished_at TEXT,
	model_id {{INT}} REFERENCES link_model (id),
	records {{INT}} NOT NULL DEFAULT 0,  -- records (re)linked by the run
	pairs {{INT}} NOT NULL DEFAULT 0,    -- candidate pairs scored
	linked {{INT}} NOT NULL DEFAULT 0,   -- links written (auto)
	queued {{INT}} NOT NULL DEFAULT 0,   -- pairs sent to review
	by_user {{INT}} REFERENCES app_user (id)
) {{STRICT}};

CREATE TABLE person_link (
	id {{ID}},
	person_a {{INT}} NOT NULL REFERENCES person (id),
	person_b {{INT}} NOT NULL REFERENCES person (id),
	score {{DOUBLE}} NOT NULL CHECK (score >= 0 AND score <= 1), -- probability of a match
	weight {{DOUBLE}} NOT NULL,            -- log2 likelihood ratio (Fellegi–Sunter)
	levels TEXT,                           -- packed comparison levels (link.h), NULL for PESEL
	method TEXT NOT NULL CHECK (method IN ('pesel', 'score', 'review')),
	state TEXT NOT NULL CHECK (state IN ('auto', 'confirmed', 'separated', 'unlinked')),
	run_id {{INT}} REFERENCES link_run (id),
	created_at TEXT NOT NULL,
	decided_at TEXT,                       -- the last decision of a person
	decided_by {{INT}} REFERENCES app_user (id),
	CHECK (person_a < person_b),
	CHECK (state = 'auto' OR decided_at IS NOT NULL)
) {{STRICT}};
CREATE UNIQUE INDEX person_link_pair ON person_link (person_a, person_b);
CREATE INDEX person_link_b ON person_link (person_b);

-- pairs between the thresholds, waiting for a reviewer (state open), or
-- skipped (shown again after the open ones); a decided pair leaves the
-- queue (its decision is in link_decision, its state in person_link)
CREATE TABLE link_candidate (
	id {{ID}},
	person_a {{INT}} NOT NULL REFERENCES person (id),
	person_b {{INT}} NOT NULL REFERENCES person (id),
	institution_a {{INT}} NOT NULL REFERENCES institution (id),
	institution_b {{INT}} NOT NULL REFERENCES institution (id),
	score {{DOUBLE}} NOT NULL CHECK (score >= 0 AND score <= 1),
	weight {{DOUBLE}} NOT NULL,
	levels TEXT NOT NULL,                  -- packed comparison levels: the explanation
	state TEXT NOT NULL CHECK (state IN ('open', 'skipped', 'decided')),
	run_id {{INT}} REFERENCES link_run (id),
	created_at TEXT NOT NULL,
	CHECK (person_a < person_b)
) {{STRICT}};
CREATE UNIQUE INDEX link_candidate_pair ON link_candidate (person_a, person_b);
CREATE INDEX link_candidate_a ON link_candidate (institution_a, state, score);
CREATE INDEX link_candidate_b ON link_candidate (institution_b, state, score);

-- every decision of a person, append-only: same / different / skip on a
-- candidate, unlink of a link, merge / unmerge of duplicates
CREATE TABLE link_decision (
	id {{ID}},
	person_a {{INT}} NOT NULL REFERENCES person (id),
	person_b {{INT}} NOT NULL REFERENCES person (id),
	decision TEXT NOT NULL CHECK (decision IN ('same', 'different', 'skip', 'unlink', 'merge', 'unmerge')),
	candidate_id {{INT}} REFERENCES link_candidate (id),
	score {{DOUBLE}},                      -- the pair's score when decided
	decided_at TEXT NOT NULL,
	decided_by {{INT}} REFERENCES app_user (id)
) {{STRICT}};
CREATE INDEX link_decision_pair ON link_decision (person_a, person_b);

-- derived: rebuilt from the links (auto, confirmed) and the cannot-links
-- by link_clusters_rebuild(); cluster_id is the smallest person id in it.
-- A person absent from the table is a cluster of its own.
CREATE TABLE person_cluster (
	person_id {{INT}} PRIMARY KEY REFERENCES person (id),
	cluster_id {{INT}} NOT NULL
) {{STRICT}};
CREATE INDEX person_cluster_cluster ON person_cluster (cluster_id);

-- the blocking keys of every live record (link.h link_keys()), so one new
-- record finds its candidates with one index range per key
CREATE TABLE link_key (
	key {{INT}} NOT NULL,      -- a link.h blocking key (64 bits, as signed)
	person_id {{INT}} NOT NULL REFERENCES person (id)
) {{STRICT}};
CREATE INDEX link_key_key ON link_key (key, person_id);
CREATE INDEX link_key_person ON link_key (person_id);

-- incremental runs: the newest (updated_at, id) of each institution's
-- persons the last run saw; the next run links only records past it
CREATE TABLE link_mark (
	institution_id {{INT}} PRIMARY KEY REFERENCES institution (id),
	updated_at TEXT NOT NULL,
	person_id {{INT}} NOT NULL,
	run_id {{INT}} REFERENCES link_run (id)
) {{STRICT}};
CREATE INDEX person_updated ON person (institution_id, updated_at, id);

-- a merge of two records of one human within one institution: merged_id
-- is soft-deleted (person.deleted_at) into kept_id, and each reference
-- moved from merged_id to kept_id is one person_merge_ref row, so an
-- unmerge moves exactly those back and revives merged_id
CREATE TABLE person_merge (
	id {{ID}},
	institution_id {{INT}} NOT NULL REFERENCES institution (id),
	kept_id {{INT}} NOT NULL REFERENCES person (id),
	merged_id {{INT}} NOT NULL REFERENCES person (id),
	merged_at TEXT NOT NULL,
	merged_by {{INT}} REFERENCES app_user (id),
	undone_at TEXT,
	undone_by {{INT}} REFERENCES app_user (id),
	CHECK (kept_id <> merged_id)
) {{STRICT}};
CREATE UNIQUE INDEX person_merge_live ON person_merge (merged_id) WHERE undone_at IS NULL;
CREATE INDEX person_merge_kept ON person_merge (kept_id);

CREATE TABLE person_merge_ref (
	merge_id {{INT}} NOT NULL REFERENCES person_merge (id),
	tbl TEXT NOT NULL,           -- the table whose row was moved (a name of store.c's list)
	row_id {{INT}} NOT NULL
) {{STRICT}};
CREATE INDEX person_merge_ref_merge ON person_merge_ref (merge_id);
