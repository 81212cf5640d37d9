/*
 * tap.h: the unit-test harness.  Each test program prints one TAP line per
 * check ("ok N - what" / "not ok N - what # file:line") and exits non-zero
 * if any failed; tests/run.sh counts the lines.
 *
 * Unit tests may #include a module's .c to reach its statics (chrony's
 * way); they link against the library for everything else.
 */
#ifndef DATELINE_TAP_H
#define DATELINE_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

__attribute__((format(printf, 4, 5))) static int
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%sok %d - ", pass ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!pass) {
		printf(" # %s:%d", file, line);
		tap_failed++;
	}
	printf("\n");
	fflush(stdout);
	return pass;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* Compares strings (NULL-safe) and shows both on failure. */
#define is_str(got, want, ...)                                                   \
	do {                                                                     \
		const char *is_got_ = (got), *is_want_ = (want);                 \
		int is_pass_ = (is_got_ == NULL || is_want_ == NULL)             \
		    ? is_got_ == is_want_ : strcmp(is_got_, is_want_) == 0;      \
		if (!tap_ok(is_pass_, __FILE__, __LINE__, __VA_ARGS__))          \
			printf("#   got:  %s%s%s\n#   want: %s%s%s\n",           \
			    is_got_ ? "\"" : "", is_got_ ? is_got_ : "NULL",     \
			    is_got_ ? "\"" : "", is_want_ ? "\"" : "",           \
			    is_want_ ? is_want_ : "NULL", is_want_ ? "\"" : ""); \
	} while (0)

#define is_int(got, want, ...)                                                   \
	do {                                                                     \
		long long is_got_ = (long long)(got), is_want_ = (long long)(want); \
		if (!tap_ok(is_got_ == is_want_, __FILE__, __LINE__, __VA_ARGS__)) \
			printf("#   got:  %lld\n#   want: %lld\n", is_got_, is_want_); \
	} while (0)

static int
tap_done(void)
{
	return tap_failed ? 1 : 0;
}

#endif
