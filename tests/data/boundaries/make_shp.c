/*
 * make_shp.c — writes squares.shp/.shx/.dbf/.prj, the tiny Shapefile the
 * boundary tests import: two squares in EPSG:2180 (PUWG 1992) sharing the
 * edge easting = 391000 m, in the demo county (Brzozowo 3050022 and
 * Dębina 3050032), with a .prj as GUGiK's PRG layers have. Regenerate:
 *   cc -o /tmp/make_shp make_shp.c -lshp && /tmp/make_shp squares
 */
#include <shapefil.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	static const char prj[] =
		"PROJCS[\"ETRS_1989_Poland_CS92\",GEOGCS[\"ETRF2000-PL\",DATUM[\"D_ETRF2000_Poland\","
		"SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],"
		"UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],"
		"PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",-5300000.0],"
		"PARAMETER[\"Central_Meridian\",19.0],PARAMETER[\"Scale_Factor\",0.9993],"
		"PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";
	/* clockwise outer rings, as the format wants */
	double xa[] = { 384000, 384000, 391000, 391000, 384000 }, ya[] = { 505000, 516000, 516000, 505000, 505000 };
	double xb[] = { 391000, 391000, 398000, 398000, 391000 }, yb[] = { 505000, 516000, 516000, 505000, 505000 };
	const char *base = argc > 1 ? argv[1] : "squares";
	char path[256];
	SHPHandle shp = SHPCreate(base, SHPT_POLYGON);
	DBFHandle dbf = DBFCreate(base);
	SHPObject *o;
	FILE *fp;

	if (shp == NULL || dbf == NULL)
		return 1;
	DBFAddField(dbf, "JPT_KOD_JE", FTString, 10, 0);
	DBFAddField(dbf, "JPT_NAZWA_", FTString, 40, 0);
	o = SHPCreateSimpleObject(SHPT_POLYGON, 5, xa, ya, NULL);
	SHPWriteObject(shp, -1, o);
	SHPDestroyObject(o);
	o = SHPCreateSimpleObject(SHPT_POLYGON, 5, xb, yb, NULL);
	SHPWriteObject(shp, -1, o);
	SHPDestroyObject(o);
	DBFWriteStringAttribute(dbf, 0, 0, "3050022");
	DBFWriteStringAttribute(dbf, 0, 1, "Brzozowo");
	DBFWriteStringAttribute(dbf, 1, 0, "3050032");
	DBFWriteStringAttribute(dbf, 1, 1, "Debina");
	SHPClose(shp);
	DBFClose(dbf);
	snprintf(path, sizeof(path), "%s.prj", base);
	if ((fp = fopen(path, "w")) == NULL)
		return 1;
	fputs(prj, fp);
	fclose(fp);
	return 0;
}
