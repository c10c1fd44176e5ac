-- 0017_referrals.sql — referrals and information requests between
-- institutions (src/coop/referral.c): B asks A (or A sends B) about a
-- person, by a record or by PESEL to every partner, with a purpose and a
-- message; requested → accepted / refused (with a reason) → linked to
-- what followed (an episode, a contract, a person record).
--
-- A referral is seen only by its two institutions (from and to): the
-- message is free text about a person. A PESEL sent to all partners is one
-- row per recipient sharing a batch id, so no recipient learns of the
-- others and the sender learns only what each recipient answers.
-- purpose is a consent purpose (0016): an accepted referral with the
-- person's consent opens the view for that purpose.

CREATE TABLE referral (
	id {{ID}},
	batch {{INT}},                 -- rows sent together (PESEL to all partners): the first row's id
	from_institution_id {{INT}} NOT NULL REFERENCES institution (id),
	to_institution_id {{INT}} NOT NULL REFERENCES institution (id),
	person_id {{INT}} REFERENCES person (id), -- the record named (sender's or recipient's)
	pesel TEXT CHECK (pesel IS NULL OR length(pesel) = 11),
	purpose TEXT NOT NULL REFERENCES consent_purpose (code),
	message TEXT CHECK (message IS NULL OR length(message) <= 4000),
	state TEXT NOT NULL CHECK (state IN ('requested', 'accepted', 'refused', 'linked')),
	refusal_reason TEXT CHECK (refusal_reason IS NULL OR length(refusal_reason) <= 1000),
	linked_kind TEXT CHECK (linked_kind IS NULL OR linked_kind IN ('episode', 'contract', 'person')),
	linked_id {{INT}},
	created_at TEXT NOT NULL,
	created_by {{INT}} REFERENCES app_user (id),
	decided_at TEXT,
	decided_by {{INT}} REFERENCES app_user (id),
	linked_at TEXT,
	linked_by {{INT}} REFERENCES app_user (id),
	CHECK (from_institution_id <> to_institution_id),
	CHECK (person_id IS NOT NULL OR pesel IS NOT NULL),
	CHECK (state <> 'refused' OR refusal_reason IS NOT NULL),
	CHECK ((linked_kind IS NULL) = (linked_id IS NULL)),
	CHECK ((state = 'linked') = (linked_kind IS NOT NULL)),
	CHECK (state = 'requested' OR decided_at IS NOT NULL)
) {{STRICT}};
CREATE INDEX referral_to ON referral (to_institution_id, state, id);
CREATE INDEX referral_from ON referral (from_institution_id, state, id);
CREATE INDEX referral_person ON referral (person_id);
