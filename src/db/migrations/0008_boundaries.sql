-- 0008_boundaries.sql — boundaries of territorial units as shared arcs
-- (src/territory/boundary.h, topo.h).
--
-- level is enum topo_level: 0 the country (its shape 'PL' uses the
-- voivodeships' arcs), 1 voivodeships, 2 powiats, 3 gminas. Each level is
-- a topology of its own: an arc is a border stored once and referred to
-- by the shapes on both sides. An arc's points are kept per display scale
-- (simplified at import), each a blob of little-endian int32 pairs
-- (lon, lat in 1e-7 degree). A shape's rings are a blob of int32: for each
-- ring its arc count n with the sign bit set for a hole, then n arc refs
-- (~id = the arc reversed). fictional = 1 marks the demo county's
-- boundaries, which an import of real ones keeps.
CREATE TABLE boundary_arc (
	level {{INT}} NOT NULL CHECK (level BETWEEN 0 AND 3),
	id {{INT}} NOT NULL,
	fictional {{INT}} NOT NULL DEFAULT 0 CHECK (fictional IN (0, 1)),
	country {{BLOB}} NOT NULL,
	region {{BLOB}} NOT NULL,
	county {{BLOB}} NOT NULL,
	full_detail {{BLOB}} NOT NULL,
	PRIMARY KEY (level, id)
) {{STRICT}};

CREATE TABLE boundary_shape (
	level {{INT}} NOT NULL CHECK (level BETWEEN 0 AND 3),
	code TEXT NOT NULL,
	name TEXT NOT NULL,
	fictional {{INT}} NOT NULL DEFAULT 0 CHECK (fictional IN (0, 1)),
	source_code TEXT,       -- the code as the file gave it, when it differed
	rings {{BLOB}} NOT NULL,
	label_x {{DOUBLE}} NOT NULL,
	label_y {{DOUBLE}} NOT NULL,
	min_x {{DOUBLE}} NOT NULL,
	min_y {{DOUBLE}} NOT NULL,
	max_x {{DOUBLE}} NOT NULL,
	max_y {{DOUBLE}} NOT NULL,
	PRIMARY KEY (level, code)
) {{STRICT}};

-- Which arcs a shape uses: the arcs a map needs, and the neighbours.
CREATE TABLE boundary_shape_arc (
	level {{INT}} NOT NULL,
	code TEXT NOT NULL,
	arc {{INT}} NOT NULL,
	PRIMARY KEY (level, code, arc)
) {{STRICT}};
CREATE INDEX boundary_shape_arc_arc ON boundary_shape_arc (level, arc);
