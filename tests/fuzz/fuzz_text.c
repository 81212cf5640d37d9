/*
 * fuzz_text.c: the text normalizers on arbitrary bytes: text_from_html,
 * text_line_from_html, text_fold, utf8_repair, html_sanitize.
 *
 * Oracles besides the sanitizers: every output is valid UTF-8 (what the
 * store keeps must be), and a one-line field has no newline.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	feed_init();   /* html_sanitize uses libxml2: deny-all loader, no noise */
	return 0;
}

static void
check_utf8(const char *what, char *s, int one_line)
{
	if (s == NULL)
		return;
	if (!utf8_valid(s, strlen(s))) {
		fprintf(stderr, "%s returned invalid UTF-8\n", what);
		abort();
	}
	if (one_line && strchr(s, '\n') != NULL) {
		fprintf(stderr, "%s returned a newline\n", what);
		abort();
	}
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;

	utf8_valid(p, size);
	check_utf8("utf8_repair", utf8_repair(p, size), 0);
	check_utf8("text_from_html", text_from_html(p, size), 0);
	check_utf8("text_line_from_html", text_line_from_html(p, size), 1);
	check_utf8("text_fold", text_fold(p, size), 0);
	check_utf8("html_sanitize", html_sanitize(p, size, "https://example.com/a/b.html"), 0);
	return 0;
}
