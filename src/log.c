/*
 * log.c: stderr logging with journald priority prefixes.
 */
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *log_progname = "dateline";
static enum log_level log_max = LOG_LEVEL_INFO;
static int log_tty;

void
log_init(const char *progname, enum log_level max_level)
{
	log_progname = progname;
	log_max = max_level;
	log_tty = isatty(STDERR_FILENO);
}

void
log_set_level(enum log_level max_level)
{
	log_max = max_level;
}

int
log_level_parse(const char *name)
{
	static const struct {
		const char *name;
		enum log_level level;
	} names[] = {
		{ "error", LOG_LEVEL_ERR },     { "warning", LOG_LEVEL_WARNING },
		{ "notice", LOG_LEVEL_NOTICE }, { "info", LOG_LEVEL_INFO },
		{ "debug", LOG_LEVEL_DEBUG },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].name, name) == 0)
			return (int)names[i].level;
	return -1;
}

static const char *
level_name(int level)
{
	switch (level) {
	case 2: return "fatal";
	case LOG_LEVEL_ERR: return "error";
	case LOG_LEVEL_WARNING: return "warning";
	case LOG_LEVEL_NOTICE: return "notice";
	case LOG_LEVEL_INFO: return "info";
	default: return "debug";
	}
}

/*
 * NOTE: the whole line is formatted first and written with one fprintf so
 * that lines from concurrent processes (tests) do not interleave mid-line.
 */
static void
log_vwrite(int level, int with_errno, const char *fmt, va_list ap)
{
	char msg[2048];
	int saved = errno;
	int n;

	if (level > (int)log_max)
		return;
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		return;
	/* NOTE: overlong messages are truncated to one line of 2 KiB. */
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	if (log_tty)
		fprintf(stderr, "%s: %s: %s%s%s\n", log_progname, level_name(level), msg,
		    with_errno ? ": " : "", with_errno ? strerror(saved) : "");
	else
		fprintf(stderr, "<%d>%s%s%s\n", level, msg, with_errno ? ": " : "",
		    with_errno ? strerror(saved) : "");
	fflush(stderr);
	errno = saved;
}

#define LOG_FN(name, level, with_errno)                    \
	void name(const char *fmt, ...)                    \
	{                                                  \
		va_list ap;                                \
		va_start(ap, fmt);                         \
		log_vwrite(level, with_errno, fmt, ap);    \
		va_end(ap);                                \
	}

LOG_FN(log_err, LOG_LEVEL_ERR, 0)
LOG_FN(log_warn, LOG_LEVEL_WARNING, 1)
LOG_FN(log_warnx, LOG_LEVEL_WARNING, 0)
LOG_FN(log_notice, LOG_LEVEL_NOTICE, 0)
LOG_FN(log_info, LOG_LEVEL_INFO, 0)
LOG_FN(log_debug, LOG_LEVEL_DEBUG, 0)

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(2, 1, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(2, 0, fmt, ap);
	va_end(ap);
	exit(1);
}
