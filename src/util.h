/*
 * util.h: allocation wrappers, growable buffers and string lists.
 *
 * Out of memory is fatal here, in one place, so that every caller can treat
 * allocation as infallible and keep its error paths for real failures
 * (bad input, I/O), which are never fatal.
 */
#ifndef DATELINE_UTIL_H
#define DATELINE_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
/* Like reallocarray(3): fatal on overflow or exhaustion. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
/* Copies at most n bytes of s and NUL-terminates. */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* NULL-safe xstrdup. */
char *xstrdup_or_null(const char *s);

/* A growable byte buffer; data is always NUL-terminated when non-NULL. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
/* Inline: the text normalizers append most of their output a byte at a time. */
static inline void
buf_putc(struct buf *b, char c)
{
	if (b->cap < b->len + 2)
		buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
/* Appends code point cp (at most U+10FFFF, not a surrogate) as UTF-8. */
void buf_put_utf8(struct buf *b, uint32_t cp);
/* Returns the NUL-terminated contents (never NULL) and leaves b empty. */
char *buf_steal(struct buf *b);
void buf_free(struct buf *b);

/* A growable list of owned strings. */
struct strlist {
	char **v;
	size_t n;
	size_t cap;
};

void strlist_push(struct strlist *l, char *owned);
void strlist_pushf(struct strlist *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strlist_free(struct strlist *l);

/* Monotonic and wall-clock time in seconds. */
double now_monotonic(void);
double now_wall(void);

/* Nonzero when the two strings are equal, both NULL counting as equal. */
int str_eq_null(const char *a, const char *b);

#endif
