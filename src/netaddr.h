/*
 * netaddr.h: which addresses a fetch may connect to (pure).
 *
 * The fetcher calls addr_classify on every address it is about to connect
 * to, after name resolution, for the first request and every redirect hop;
 * anything but ADDR_PUBLIC is refused unless the feed allows private
 * destinations.  Testing the address a socket would really use (rather
 * than the spelling in the URL) defeats every spelling trick at once.
 */
#ifndef DATELINE_NETADDR_H
#define DATELINE_NETADDR_H

#include <sys/socket.h>

enum addr_class {
	ADDR_PUBLIC,
	ADDR_LOOPBACK,     /* 127.0.0.0/8, ::1 */
	ADDR_PRIVATE,      /* 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7 */
	ADDR_LINK_LOCAL,   /* 169.254/16, fe80::/10 */
	ADDR_UNSPECIFIED,  /* 0.0.0.0/8, :: */
	ADDR_MULTICAST,    /* 224/4, ff00::/8 */
	ADDR_RESERVED,     /* 240/4, broadcast, documentation, benchmarking,
	                      IETF protocol assignments, 64:ff9b:1::/48, ... */
	ADDR_UNKNOWN,      /* not AF_INET or AF_INET6 */
};

/*
 * Classifies a socket address.  IPv4-mapped (::ffff:a.b.c.d), IPv4-
 * compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16)
 * addresses are classified by the IPv4 address they embed.
 */
enum addr_class addr_classify(const struct sockaddr *sa, socklen_t len);

/* A short name for messages: "loopback", "private", ... */
const char *addr_class_name(enum addr_class c);

/*
 * Convenience for tests and messages: classifies a numeric address string
 * (inet_pton syntax); ADDR_UNKNOWN if it is not one.
 */
enum addr_class addr_classify_string(const char *numeric);

#endif
