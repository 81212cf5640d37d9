/*
 * netaddr.c: which addresses a fetch may connect to.
 *
 * The ranges are those of the IANA special-purpose address registries
 * (RFC 6890 and its updates).  Only numbers are looked at: the fetcher
 * classifies the sockaddr it is about to connect() to, after resolution,
 * so "127.1", "2130706433", "0x7f.1" and "localhost" have all become
 * 127.0.0.1 by then and no spelling needs a rule of its own.
 */
#include "netaddr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

struct range4 {
	uint32_t prefix;	/* host byte order */
	int len;
	enum addr_class class;
};

struct range6 {
	uint8_t prefix[16];
	int len;
	enum addr_class class;
};

/* The first match wins, so a range comes before any range holding it. */
static const struct range4 ranges4[] = {
	{ 0x00000000, 8, ADDR_UNSPECIFIED },	/* 0.0.0.0/8 "this network" */
	{ 0x0a000000, 8, ADDR_PRIVATE },	/* 10.0.0.0/8 */
	{ 0x64400000, 10, ADDR_PRIVATE },	/* 100.64.0.0/10 CGNAT */
	{ 0x7f000000, 8, ADDR_LOOPBACK },	/* 127.0.0.0/8 */
	{ 0xa9fe0000, 16, ADDR_LINK_LOCAL },	/* 169.254.0.0/16 */
	{ 0xac100000, 12, ADDR_PRIVATE },	/* 172.16.0.0/12 */
	{ 0xc0000000, 24, ADDR_RESERVED },	/* 192.0.0.0/24 IETF */
	{ 0xc0000200, 24, ADDR_RESERVED },	/* 192.0.2.0/24 TEST-NET-1 */
	{ 0xc0586300, 24, ADDR_RESERVED },	/* 192.88.99.0/24 6to4 relay */
	{ 0xc0a80000, 16, ADDR_PRIVATE },	/* 192.168.0.0/16 */
	{ 0xc6120000, 15, ADDR_RESERVED },	/* 198.18.0.0/15 benchmarking */
	{ 0xc6336400, 24, ADDR_RESERVED },	/* 198.51.100.0/24 TEST-NET-2 */
	{ 0xcb007100, 24, ADDR_RESERVED },	/* 203.0.113.0/24 TEST-NET-3 */
	{ 0xe0000000, 4, ADDR_MULTICAST },	/* 224.0.0.0/4 */
	{ 0xffffffff, 32, ADDR_RESERVED },	/* limited broadcast */
	{ 0xf0000000, 4, ADDR_RESERVED },	/* 240.0.0.0/4 */
};

/*
 * IPv6 ranges that are not classified by an embedded IPv4 address (those
 * are handled in classify6 first).  The first match wins.
 */
static const struct range6 ranges6[] = {
	/* 64:ff9b:1::/48 local-use NAT64 (RFC 8215) */
	{ { 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01 }, 48, ADDR_RESERVED },
	/* 100::/64 discard-only (RFC 6666) */
	{ { 0x01, 0x00 }, 64, ADDR_RESERVED },
	/* 2001:db8::/32 documentation */
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, ADDR_RESERVED },
	/* 2001::/23 IETF protocol assignments, Teredo 2001::/32 among them */
	{ { 0x20, 0x01 }, 23, ADDR_RESERVED },
	/* fc00::/7 unique local */
	{ { 0xfc }, 7, ADDR_PRIVATE },
	/* fe80::/10 link-local */
	{ { 0xfe, 0x80 }, 10, ADDR_LINK_LOCAL },
	/* fec0::/10 site-local, deprecated (RFC 3879) */
	{ { 0xfe, 0xc0 }, 10, ADDR_RESERVED },
	/* ff00::/8 multicast */
	{ { 0xff }, 8, ADDR_MULTICAST },
};

static enum addr_class
classify4(uint32_t a)
{
	size_t i;
	uint32_t mask;

	for (i = 0; i < ARRAY_LEN(ranges4); i++) {
		mask = ranges4[i].len == 0 ? 0 :
		    0xffffffffu << (32 - ranges4[i].len);
		if ((a & mask) == ranges4[i].prefix)
			return ranges4[i].class;
	}
	return ADDR_PUBLIC;
}

/* Nonzero when the first len bits of a and prefix are equal. */
static int
prefix_match6(const uint8_t a[16], const uint8_t prefix[16], int len)
{
	int bytes = len / 8, bits = len % 8;
	uint8_t mask;

	if (memcmp(a, prefix, (size_t)bytes) != 0)
		return 0;
	if (bits == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - bits));
	return (a[bytes] & mask) == (prefix[bytes] & mask);
}

static uint32_t
v4_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static enum addr_class
classify6(const uint8_t a[16])
{
	static const uint8_t zero[16];
	static const uint8_t mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
	};
	static const uint8_t nat64[12] = { 0x00, 0x64, 0xff, 0x9b };
	size_t i;

	if (memcmp(a, zero, 16) == 0)
		return ADDR_UNSPECIFIED;
	if (memcmp(a, zero, 15) == 0 && a[15] == 1)
		return ADDR_LOOPBACK;
	/*
	 * ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible, deprecated but a
	 * kernel may still route it), 64:ff9b::a.b.c.d (NAT64) and
	 * 2002:aabb:ccdd::/48 (6to4) all reach an IPv4 host: that host
	 * decides.
	 */
	if (memcmp(a, mapped, 12) == 0 || memcmp(a, zero, 12) == 0 ||
	    memcmp(a, nat64, 12) == 0)
		return classify4(v4_at(a + 12));
	if (a[0] == 0x20 && a[1] == 0x02)
		return classify4(v4_at(a + 2));

	for (i = 0; i < ARRAY_LEN(ranges6); i++)
		if (prefix_match6(a, ranges6[i].prefix, ranges6[i].len))
			return ranges6[i].class;
	/*
	 * NOTE: global unicast is 2000::/3; everything else outside the
	 * ranges above is unassigned (or reserved by IETF), and no news site
	 * lives there, so it is refused rather than trusted.
	 */
	if ((a[0] & 0xe0) != 0x20)
		return ADDR_RESERVED;
	return ADDR_PUBLIC;
}

enum addr_class
addr_classify(const struct sockaddr *sa, socklen_t len)
{
	const struct sockaddr_in *sin;
	const struct sockaddr_in6 *sin6;

	if (sa == NULL || len < (socklen_t)sizeof(sa_family_t))
		return ADDR_UNKNOWN;
	switch (sa->sa_family) {
	case AF_INET:
		if (len < (socklen_t)sizeof(*sin))
			return ADDR_UNKNOWN;
		sin = (const struct sockaddr_in *)(const void *)sa;
		return classify4(ntohl(sin->sin_addr.s_addr));
	case AF_INET6:
		if (len < (socklen_t)sizeof(*sin6))
			return ADDR_UNKNOWN;
		sin6 = (const struct sockaddr_in6 *)(const void *)sa;
		return classify6(sin6->sin6_addr.s6_addr);
	default:
		return ADDR_UNKNOWN;
	}
}

const char *
addr_class_name(enum addr_class c)
{
	switch (c) {
	case ADDR_PUBLIC:
		return "public";
	case ADDR_LOOPBACK:
		return "loopback";
	case ADDR_PRIVATE:
		return "private";
	case ADDR_LINK_LOCAL:
		return "link-local";
	case ADDR_UNSPECIFIED:
		return "unspecified";
	case ADDR_MULTICAST:
		return "multicast";
	case ADDR_RESERVED:
		return "reserved";
	case ADDR_UNKNOWN:
		break;
	}
	return "unknown";
}

enum addr_class
addr_classify_string(const char *numeric)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;

	if (numeric == NULL)
		return ADDR_UNKNOWN;
	if (strchr(numeric, ':') != NULL) {
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		if (inet_pton(AF_INET6, numeric, &sin6.sin6_addr) != 1)
			return ADDR_UNKNOWN;
		return addr_classify((struct sockaddr *)&sin6, sizeof(sin6));
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	if (inet_pton(AF_INET, numeric, &sin.sin_addr) != 1)
		return ADDR_UNKNOWN;
	return addr_classify((struct sockaddr *)&sin, sizeof(sin));
}
