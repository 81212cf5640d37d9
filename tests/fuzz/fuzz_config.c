/*
 * fuzz_config.c: config_load on arbitrary YAML.
 *
 * config_load reads a path, so each input is written to one private file
 * first (the loader is used exactly as the daemon uses it).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	snprintf(path, sizeof(path), "%s/fuzz-config-%ld.yaml", tmp ? tmp : "/tmp",
	    (long)getpid());
	return 0;
}

static void
roundtrip(const struct buf *out)
{
	struct strlist errors = { 0 };
	struct config *cfg;
	FILE *f;

	if ((f = fopen(path, "wb")) == NULL)
		abort();
	if (out->len && fwrite(out->data, 1, out->len, f) != out->len)
		abort();
	fclose(f);
	if ((cfg = config_load(path, &errors)) == NULL) {
		fprintf(stderr, "config_write output does not load back:\n%.*s\n",
		    (int)out->len, out->data);
		for (size_t i = 0; i < errors.n; i++)
			fprintf(stderr, "  %s\n", errors.v[i]);
		abort();
	}
	config_free(cfg);
	strlist_free(&errors);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strlist errors = { 0 };
	struct config *cfg;
	struct buf out;
	FILE *f;

	if ((f = fopen(path, "wb")) == NULL)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	cfg = config_load(path, &errors);
	if (cfg) {
		/*
		 * `check-config -v` promises that what config_write prints reads
		 * back: a file that loads must survive the round trip.
		 */
		buf_init(&out);
		config_write(cfg, &out);
		config_free(cfg);
		roundtrip(&out);
		buf_free(&out);
	}
	strlist_free(&errors);
	unlink(path);
	return 0;
}
