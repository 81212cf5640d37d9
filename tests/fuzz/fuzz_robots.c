/*
 * fuzz_robots.c: robots_parse and its queries on arbitrary robots.txt.
 */
#include <stddef.h>
#include <stdint.h>

#include "robots.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[] = {
	"/", "/national/story-1", "/a%2Fb", "/search?q=x", "/private/", "/*",
	"/%E2%82%AC/", "", "/index.html$",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct robots *r = robots_parse((const char *)data, size, "dateline/0.1.0");

	if (r == NULL)
		return 0;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		robots_allowed(r, paths[i]);
	robots_crawl_delay(r);
	robots_free(r);
	return 0;
}
