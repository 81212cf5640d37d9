/*
 * log.h: the one logging API of dateline.
 *
 * Messages go to stderr as one line each, prefixed with "<N>" (the syslog
 * priority) so that journald files them at the right level when dateline
 * runs under systemd; on a terminal the prefix is replaced by a readable
 * level name.  log_warn appends strerror(errno), log_warnx does not
 * (OpenBSD's convention).  fatal/fatalx log at LOG_CRIT and exit(1).
 */
#ifndef DATELINE_LOG_H
#define DATELINE_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_LEVEL_ERR = 3,
	LOG_LEVEL_WARNING = 4,
	LOG_LEVEL_NOTICE = 5,
	LOG_LEVEL_INFO = 6,
	LOG_LEVEL_DEBUG = 7,
};

/* Messages above max_level are dropped.  Safe to call again (reload). */
void log_init(const char *progname, enum log_level max_level);
/* Parses "error", "warning", "notice", "info", "debug"; -1 if unknown. */
int log_level_parse(const char *name);
void log_set_level(enum log_level max_level);

void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
