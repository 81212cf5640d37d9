/*
 * datadir.c: finding the data files.
 */
#include "datadir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"

/* Longer paths are simply not found. */
#define DIR_MAX PATH_MAX

static char found[DIR_MAX];

static int
has_data(const char *dir)
{
	char path[DIR_MAX];

	if (dir == NULL || *dir == '\0' ||
	    snprintf(path, sizeof(path), "%s/agencies.txt", dir) >= (int)sizeof(path))
		return 0;
	return access(path, R_OK) == 0;
}

static const char *
keep(const char *dir)
{
	snprintf(found, sizeof(found), "%s", dir);
	return found;
}

const char *
datadir_find(const char *explicit_dir)
{
	char exe[DIR_MAX], *slash;
	ssize_t n;

	if (explicit_dir != NULL)
		return has_data(explicit_dir) ? keep(explicit_dir) : NULL;
	if (has_data(getenv("DATELINE_DATA")))
		return keep(getenv("DATELINE_DATA"));
	/* dirname(dirname(/proc/self/exe))/data: build/dateline -> ./data */
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		for (int up = 0; up < 2; up++)
			if ((slash = strrchr(exe, '/')) != NULL)
				*slash = '\0';
		if (strlen(exe) + sizeof("/data") < sizeof(exe)) {
			strcat(exe, "/data");
			if (has_data(exe))
				return keep(exe);
		}
	}
	if (has_data(DATELINE_DATADIR))
		return keep(DATELINE_DATADIR);
	return NULL;
}
