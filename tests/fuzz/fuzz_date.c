/*
 * fuzz_date.c: date_parse and date_format on arbitrary strings.
 *
 * Input: the first byte picks a zone for zone-less times, the rest is the
 * date text (NUL-terminated copy; embedded NULs end it, as in the daemon).
 * Oracle besides the sanitizers: a parsed time formats to 20 characters
 * and, inside the years 0000-9999 (date_format clamps outside them), that
 * RFC 3339 text parses back to the same second.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"

/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define YEAR0 (-62167219200LL)
#define YEAR9999_END 253402300799LL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const zones[] = {
	NULL, "", "UTC", "Asia/Kolkata", "America/New_York", "Australia/Lord_Howe",
	"Pacific/Kiritimati", "America/St_Johns", "Europe/London", "No/Such_Zone",
	"../../../etc/passwd", "Asia/Kathmandu",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, out[DATE_RFC3339_LEN];
	int64_t t = 0, back = 0;

	if (size < 1)
		return 0;
	s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	if (date_parse(s, zones[data[0] % (sizeof(zones) / sizeof(zones[0]))], &t) == 0) {
		date_format(t, out);
		if (strlen(out) != DATE_RFC3339_LEN - 1) {
			fprintf(stderr, "date_format(%lld) = \"%s\"\n", (long long)t, out);
			abort();
		}
		if (t >= YEAR0 && t <= YEAR9999_END &&
		    (date_parse(out, NULL, &back) != 0 || back != t)) {
			fprintf(stderr, "\"%s\" -> %lld -> \"%s\" -> %lld\n", s, (long long)t,
			    out, (long long)back);
			abort();
		}
	}
	free(s);
	return 0;
}
