/*
 * fuzz_url.c: url_resolve, url_canonical, url_scheme, url_host.
 *
 * Input: "BASE\nREF" (no newline: a fixed base).  Oracles besides the
 * sanitizers: a resolved URL is absolute (it resolves against nothing to
 * itself), and canonicalization is idempotent.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_canonical(const char *u)
{
	char *c1, *c2;

	if ((c1 = url_canonical(u)) == NULL)
		return;
	if ((c2 = url_canonical(c1)) == NULL || strcmp(c1, c2) != 0) {
		fprintf(stderr, "url_canonical not idempotent:\n  %s\n  %s\n  %s\n", u, c1,
		    c2 ? c2 : "(null)");
		abort();
	}
	free(c2);
	free(c1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *nl, *base, *ref, *r;

	memcpy(s, data, size);
	s[size] = '\0';
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		base = s;
		ref = nl + 1;
	} else {
		base = "https://www.example.com/a/b/c.html?q=1#f";
		ref = s;
	}
	if ((r = url_resolve(base, ref)) != NULL) {
		check_canonical(r);
		free(url_scheme(r));
		free(url_host(r));
		free(r);
	}
	if ((r = url_resolve(NULL, ref)) != NULL)
		free(r);
	check_canonical(ref);
	free(url_scheme(ref));
	free(url_host(ref));
	url_is_http(ref);
	free(s);
	return 0;
}
