/*
 * replay.c: a main() for the fuzz targets without libFuzzer, so the
 * inputs that once found a bug (tests/fuzz/regress/TARGET/) are replayed
 * by `make check` with the ordinary compiler and sanitizer build.
 *
 *   replay FILE...    runs the target on each file; exit 0 when none
 *                     crashed or tripped an oracle (those abort).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *data = NULL, *exact;
		size_t len = 0, cap = 0, n;

		if (f == NULL) {
			perror(argv[i]);
			return 2;
		}
		do {
			if (len == cap) {
				cap = cap ? cap * 2 : 65536;
				if ((data = realloc(data, cap)) == NULL)
					abort();
			}
			n = fread(data + len, 1, cap - len, f);
			len += n;
		} while (n > 0);
		fclose(f);
		/* Exactly len bytes, as libFuzzer gives: one past is an overflow. */
		if ((exact = malloc(len ? len : 1)) == NULL)
			abort();
		if (len)
			memcpy(exact, data, len);
		free(data);
		if (i == 1 && LLVMFuzzerInitialize)
			LLVMFuzzerInitialize(&argc, &argv);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	return 0;
}
