/*
 * notify.h: systemd's notification protocol ($NOTIFY_SOCKET), spoken
 * directly (a datagram per message) so there is no libsystemd dependency.
 * Everything is a no-op when dateline does not run under Type=notify.
 */
#ifndef DATELINE_NOTIFY_H
#define DATELINE_NOTIFY_H

/* Reads NOTIFY_SOCKET and WATCHDOG_USEC/WATCHDOG_PID; unsets them so
 * children do not inherit them. */
void notify_init(void);

/* Sends one message such as "READY=1\nSTATUS=...".  Errors are logged once. */
void notify_send(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Seconds between WATCHDOG=1 pings (half of WATCHDOG_USEC), 0 if none. */
double notify_watchdog_interval(void);

void notify_close(void);

#endif
