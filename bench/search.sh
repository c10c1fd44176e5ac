#!/usr/bin/env bash
# bench/search.sh — person search over a large register (not part of make check):
#
#   bench/search.sh [N]      N persons (default 1000000) in one institution, SQLite
#
# Fills a fresh SQLite database with N generated persons straight in SQL
# (sqlite3: Polish surnames with their feminine forms, first names, valid
# PESELs consistent with birth date and sex, towns and streets, the folded
# search columns as person.c writes them), then times typical searches
# through the command line (razem person search --repeat: the best and
# mean of several runs of person_search() itself, access check and read
# log included, process start and audit flush excluded). The target is
# under 20 ms per search over 1,000,000 persons (issue 7).
#
# BENCH_DB=FILE keeps the database there (reused when it exists, so a second
# run only times the searches).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
BIN=${RAZEM_BIN:-build/razem}
REPEAT=${REPEAT:-20}
make -s all
work=$(mktemp -d /tmp/razem-bench-search.XXXXXX)
trap 'rm -rf "$work"' EXIT
DB=${BENCH_DB:-$work/search.db}

if [ ! -s "$DB" ]; then
	"$BIN" institution add --kind mops --name "MOPS Bench" --db "$DB" >/dev/null
	t0=$(date +%s.%N)
	sqlite3 "$DB" <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
CREATE TEMP TABLE sn (i INTEGER PRIMARY KEY, m TEXT, f TEXT, mf TEXT, ff TEXT);
INSERT INTO sn (m, f, mf, ff) VALUES
 ('Nowak','Nowak','nowak','nowak'), ('Kowalski','Kowalska','kowalski','kowalska'),
 ('Wiśniewski','Wiśniewska','wisniewski','wisniewska'), ('Wójcik','Wójcik','wojcik','wojcik'),
 ('Kowalczyk','Kowalczyk','kowalczyk','kowalczyk'), ('Kamiński','Kamińska','kaminski','kaminska'),
 ('Lewandowski','Lewandowska','lewandowski','lewandowska'), ('Zieliński','Zielińska','zielinski','zielinska'),
 ('Szymański','Szymańska','szymanski','szymanska'), ('Woźniak','Woźniak','wozniak','wozniak'),
 ('Dąbrowski','Dąbrowska','dabrowski','dabrowska'), ('Kozłowski','Kozłowska','kozlowski','kozlowska'),
 ('Jankowski','Jankowska','jankowski','jankowska'), ('Mazur','Mazur','mazur','mazur'),
 ('Kwiatkowski','Kwiatkowska','kwiatkowski','kwiatkowska'), ('Krawczyk','Krawczyk','krawczyk','krawczyk'),
 ('Piotrowski','Piotrowska','piotrowski','piotrowska'), ('Grabowski','Grabowska','grabowski','grabowska'),
 ('Nowakowski','Nowakowska','nowakowski','nowakowska'), ('Pawłowski','Pawłowska','pawlowski','pawlowska'),
 ('Michalski','Michalska','michalski','michalska'), ('Nowicki','Nowicka','nowicki','nowicka'),
 ('Adamczyk','Adamczyk','adamczyk','adamczyk'), ('Dudek','Dudek','dudek','dudek'),
 ('Zając','Zając','zajac','zajac'), ('Wieczorek','Wieczorek','wieczorek','wieczorek'),
 ('Jabłoński','Jabłońska','jablonski','jablonska'), ('Król','Król','krol','krol'),
 ('Majewski','Majewska','majewski','majewska'), ('Olszewski','Olszewska','olszewski','olszewska'),
 ('Jaworski','Jaworska','jaworski','jaworska'), ('Wróbel','Wróbel','wrobel','wrobel'),
 ('Malinowski','Malinowska','malinowski','malinowska'), ('Pawlak','Pawlak','pawlak','pawlak'),
 ('Witkowski','Witkowska','witkowski','witkowska'), ('Walczak','Walczak','walczak','walczak'),
 ('Stępień','Stępień','stepien','stepien'), ('Górski','Górska','gorski','gorska'),
 ('Rutkowski','Rutkowska','rutkowski','rutkowska'), ('Michalak','Michalak','michalak','michalak'),
 ('Sikora','Sikora','sikora','sikora'), ('Ostrowski','Ostrowska','ostrowski','ostrowska'),
 ('Baran','Baran','baran','baran'), ('Duda','Duda','duda','duda'),
 ('Szewczyk','Szewczyk','szewczyk','szewczyk'), ('Tomaszewski','Tomaszewska','tomaszewski','tomaszewska'),
 ('Pietrzak','Pietrzak','pietrzak','pietrzak'), ('Marciniak','Marciniak','marciniak','marciniak'),
 ('Wróblewski','Wróblewska','wroblewski','wroblewska'), ('Zalewski','Zalewska','zalewski','zalewska'),
 ('Jakubowski','Jakubowska','jakubowski','jakubowska'), ('Jasiński','Jasińska','jasinski','jasinska'),
 ('Zawadzki','Zawadzka','zawadzki','zawadzka'), ('Sadowski','Sadowska','sadowski','sadowska'),
 ('Bąk','Bąk','bak','bak'), ('Chmielewski','Chmielewska','chmielewski','chmielewska'),
 ('Włodarczyk','Włodarczyk','wlodarczyk','wlodarczyk'), ('Borkowski','Borkowska','borkowski','borkowska'),
 ('Czarnecki','Czarnecka','czarnecki','czarnecka'), ('Sawicki','Sawicka','sawicki','sawicka'),
 ('Łukaszewicz','Łukaszewicz','lukaszewicz','lukaszewicz'), ('Kowal','Kowal','kowal','kowal');
CREATE TEMP TABLE fn (i INTEGER PRIMARY KEY, sex TEXT, name TEXT, fold TEXT);
INSERT INTO fn (sex, name, fold) VALUES
 ('K','Anna','anna'), ('K','Maria','maria'), ('K','Katarzyna','katarzyna'), ('K','Małgorzata','malgorzata'),
 ('K','Agnieszka','agnieszka'), ('K','Barbara','barbara'), ('K','Ewa','ewa'), ('K','Krystyna','krystyna'),
 ('K','Elżbieta','elzbieta'), ('K','Magdalena','magdalena'), ('K','Joanna','joanna'), ('K','Zofia','zofia'),
 ('K','Aleksandra','aleksandra'), ('K','Monika','monika'), ('K','Teresa','teresa'), ('K','Danuta','danuta'),
 ('K','Natalia','natalia'), ('K','Julia','julia'), ('K','Karolina','karolina'), ('K','Halina','halina'),
 ('M','Piotr','piotr'), ('M','Krzysztof','krzysztof'), ('M','Andrzej','andrzej'), ('M','Tomasz','tomasz'),
 ('M','Jan','jan'), ('M','Paweł','pawel'), ('M','Michał','michal'), ('M','Marcin','marcin'),
 ('M','Stanisław','stanislaw'), ('M','Jakub','jakub'), ('M','Adam','adam'), ('M','Marek','marek'),
 ('M','Łukasz','lukasz'), ('M','Grzegorz','grzegorz'), ('M','Mateusz','mateusz'), ('M','Wojciech','wojciech'),
 ('M','Mariusz','mariusz'), ('M','Dariusz','dariusz'), ('M','Zbigniew','zbigniew'), ('M','Jerzy','jerzy');
CREATE TEMP TABLE tw (i INTEGER PRIMARY KEY, name TEXT, fold TEXT);
INSERT INTO tw (name, fold) VALUES
 ('Brzozowo','brzozowo'), ('Lipno','lipno'), ('Dębowa Góra','debowa gora'), ('Olszyny','olszyny'),
 ('Jaworzno Małe','jaworzno male'), ('Kowalewo','kowalewo'), ('Zielonka','zielonka'), ('Łąki','laki'),
 ('Sosnowo','sosnowo'), ('Brzeziny','brzeziny'), ('Wierzbno','wierzbno'), ('Grabowo','grabowo');
CREATE TEMP TABLE st (i INTEGER PRIMARY KEY, name TEXT, fold TEXT);
INSERT INTO st (name, fold) VALUES
 ('Polna','polna'), ('Leśna','lesna'), ('Słoneczna','sloneczna'), ('Krótka','krotka'), ('Szkolna','szkolna'),
 ('Ogrodowa','ogrodowa'), ('Lipowa','lipowa'), ('Łąkowa','lakowa'), ('Brzozowa','brzozowa'),
 ('Kwiatowa','kwiatowa'), ('Kościelna','koscielna'), ('Sosnowa','sosnowa'), ('Zielona','zielona'),
 ('Mickiewicza','mickiewicza'), ('Kolejowa','kolejowa'), ('Parkowa','parkowa');
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $N),
g AS (
 SELECT i, i % 2 AS male, date('1940-01-01', '+' || (i % 25000) || ' days') AS bd, i / 25000 AS k,
        1 + abs(random()) % (SELECT COUNT(*) FROM sn) AS s, abs(random()) % 20 AS f,
        1 + abs(random()) % (SELECT COUNT(*) FROM tw) AS t, 1 + abs(random()) % (SELECT COUNT(*) FROM st) AS r
 FROM n),
d AS (
 SELECT g.*, CAST(substr(bd, 1, 4) AS INTEGER) AS y, CAST(substr(bd, 6, 2) AS INTEGER) AS m,
        CAST(substr(bd, 9, 2) AS INTEGER) AS dd FROM g),
p10 AS (
 SELECT d.*, printf('%02d%02d%02d%03d%d', y % 100, m + (CASE WHEN y >= 2000 THEN 20 ELSE 0 END), dd, k % 1000,
        (i / 2 % 5) * 2 + male) AS s10 FROM d)
INSERT INTO person (institution_id, pesel, first_names, surname, sex, birth_date, citizenship, street,
	house_no, postcode, town, surname_fold, first_fold, town_fold, street_fold, created_at, updated_at)
SELECT 1,
 s10 || ((10 - (substr(s10,1,1)*1 + substr(s10,2,1)*3 + substr(s10,3,1)*7 + substr(s10,4,1)*9 +
   substr(s10,5,1)*1 + substr(s10,6,1)*3 + substr(s10,7,1)*7 + substr(s10,8,1)*9 + substr(s10,9,1)*1 +
   substr(s10,10,1)*3) % 10) % 10),
 fn.name, CASE WHEN male = 1 THEN sn.m ELSE sn.f END, CASE WHEN male = 1 THEN 'M' ELSE 'K' END, bd, 'PL',
 st.name, CAST(1 + p10.i % 120 AS TEXT), '99-3' || printf('%02d', t), tw.name,
 CASE WHEN male = 1 THEN sn.mf ELSE sn.ff END, fn.fold, tw.fold, st.fold,
 '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z'
FROM p10 JOIN sn ON sn.i = p10.s JOIN fn ON fn.i = 1 + p10.f + (CASE WHEN male = 1 THEN 20 ELSE 0 END)
JOIN tw ON tw.i = p10.t JOIN st ON st.i = p10.r;
COMMIT;
ANALYZE;
SQL
	t1=$(date +%s.%N)
	printf 'filled %s persons in %.1f s (sqlite3, SQL)\n' "$(sqlite3 "$DB" 'SELECT COUNT(*) FROM person')" \
		"$(echo "$t1 - $t0" | bc)"
fi

pesel=$(sqlite3 "$DB" "SELECT pesel FROM person WHERE id = $((N / 2 + 1))")
echo
echo "| query                      |  found  | best ms | mean ms |"
echo "|----------------------------|---------|---------|---------|"
run() {
	local label=$1 out
	shift
	out=$("$BIN" person search --institution 1 --repeat "$REPEAT" --db "$DB" "$@" | tail -1)
	# "20 of 15873 persons; search 3.21 ms (best of 20), mean 3.40 ms"
	echo "$out" | awk -v l="$label" '{ printf "| %-26s | %7s | %7s | %7s |\n", l, $3, $6, $12 }'
}
run "PESEL" "$pesel"
run "kowalska" kowalska
run "kowal (prefix)" kowal
run "nowak (common)" nowak
run "LUKASZ (first name)" LUKASZ
run "kowalska anna" "kowalska anna"
run "kowal an (two prefixes)" "kowal an"
run "now ma (two prefixes)" "now ma"
run "birth date" 1985-12-31
run "town prefix" --town brzoz
run "kowal, page 50" kowal --offset 980
run "zz (nothing)" zzzz
