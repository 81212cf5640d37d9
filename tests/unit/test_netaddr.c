/*
 * test_netaddr.c: the destination classifier, range by range.
 *
 * Every range is tested at its first, a middle and its last address and
 * at the addresses just outside it.  Nothing here connects anywhere:
 * addresses are only parsed and classified.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "netaddr.h"
#include "tap.h"
#include "util.h"

#define PUB ADDR_PUBLIC
#define LOOP ADDR_LOOPBACK
#define PRIV ADDR_PRIVATE
#define LL ADDR_LINK_LOCAL
#define UNSP ADDR_UNSPECIFIED
#define MC ADDR_MULTICAST
#define RES ADDR_RESERVED
#define UNK ADDR_UNKNOWN

struct addr_case {
	const char *addr;
	enum addr_class want;
};

static const struct addr_case v4[] = {
	/* 0.0.0.0/8 */
	{ "0.0.0.0", UNSP }, { "0.128.0.1", UNSP }, { "0.255.255.255", UNSP },
	{ "1.0.0.0", PUB },
	/* 10.0.0.0/8 */
	{ "9.255.255.255", PUB }, { "10.0.0.0", PRIV }, { "10.128.0.1", PRIV },
	{ "10.255.255.255", PRIV }, { "11.0.0.0", PUB },
	/* 100.64.0.0/10 */
	{ "100.63.255.255", PUB }, { "100.64.0.0", PRIV },
	{ "100.100.100.100", PRIV }, { "100.127.255.255", PRIV },
	{ "100.128.0.0", PUB },
	/* 127.0.0.0/8 */
	{ "126.255.255.255", PUB }, { "127.0.0.0", LOOP }, { "127.0.0.1", LOOP },
	{ "127.128.0.1", LOOP }, { "127.255.255.255", LOOP },
	{ "128.0.0.0", PUB },
	/* 169.254.0.0/16 */
	{ "169.253.255.255", PUB }, { "169.254.0.0", LL },
	{ "169.254.169.254", LL }, { "169.254.255.255", LL },
	{ "169.255.0.0", PUB },
	/* 172.16.0.0/12 */
	{ "172.15.255.255", PUB }, { "172.16.0.0", PRIV }, { "172.24.0.1", PRIV },
	{ "172.31.255.255", PRIV }, { "172.32.0.0", PUB },
	/* 192.0.0.0/24 */
	{ "191.255.255.255", PUB }, { "192.0.0.0", RES }, { "192.0.0.128", RES },
	{ "192.0.0.255", RES }, { "192.0.1.0", PUB },
	/* 192.0.2.0/24 */
	{ "192.0.1.255", PUB }, { "192.0.2.0", RES }, { "192.0.2.128", RES },
	{ "192.0.2.255", RES }, { "192.0.3.0", PUB },
	/* 192.88.99.0/24 */
	{ "192.88.98.255", PUB }, { "192.88.99.0", RES }, { "192.88.99.128", RES },
	{ "192.88.99.255", RES }, { "192.88.100.0", PUB },
	/* 192.168.0.0/16 */
	{ "192.167.255.255", PUB }, { "192.168.0.0", PRIV },
	{ "192.168.1.1", PRIV }, { "192.168.255.255", PRIV },
	{ "192.169.0.0", PUB },
	/* 198.18.0.0/15 */
	{ "198.17.255.255", PUB }, { "198.18.0.0", RES }, { "198.19.0.0", RES },
	{ "198.19.255.255", RES }, { "198.20.0.0", PUB },
	/* 198.51.100.0/24 */
	{ "198.51.99.255", PUB }, { "198.51.100.0", RES },
	{ "198.51.100.128", RES }, { "198.51.100.255", RES },
	{ "198.51.101.0", PUB },
	/* 203.0.113.0/24 */
	{ "203.0.112.255", PUB }, { "203.0.113.0", RES }, { "203.0.113.128", RES },
	{ "203.0.113.255", RES }, { "203.0.114.0", PUB },
	/* 224.0.0.0/4 */
	{ "223.255.255.255", PUB }, { "224.0.0.0", MC }, { "232.1.2.3", MC },
	{ "239.255.255.255", MC },
	/* 240.0.0.0/4 and the limited broadcast */
	{ "240.0.0.0", RES }, { "248.0.0.1", RES }, { "255.255.255.254", RES },
	{ "255.255.255.255", RES },
	/* public */
	{ "8.8.8.8", PUB }, { "1.1.1.1", PUB }, { "93.184.216.34", PUB },
};

static const struct addr_case v6[] = {
	/* ::, ::1 */
	{ "::", UNSP }, { "::1", LOOP },
	/* ::ffff:0:0/96 mapped: the IPv4 address decides */
	{ "::ffff:0.0.0.0", UNSP }, { "::ffff:7f00:1", LOOP },
	{ "::ffff:127.0.0.1", LOOP }, { "::ffff:10.1.2.3", PRIV },
	{ "::ffff:169.254.169.254", LL }, { "::ffff:8.8.8.8", PUB },
	{ "::ffff:255.255.255.255", RES },
	{ "::fffe:ffff:ffff", RES }, { "::1:0:0:0", RES },
	/* ::/96 compatible */
	{ "::2", UNSP }, { "::127.0.0.1", LOOP }, { "::10.0.0.1", PRIV },
	{ "::8.8.8.8", PUB }, { "::255.255.255.255", RES },
	/* 64:ff9b::/96 NAT64 */
	{ "64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff", RES },
	{ "64:ff9b::", UNSP }, { "64:ff9b::127.0.0.1", LOOP },
	{ "64:ff9b::192.168.0.1", PRIV }, { "64:ff9b::8.8.8.8", PUB },
	{ "64:ff9b::ffff:ffff", RES }, { "64:ff9b::1:0:0", RES },
	/* 64:ff9b:1::/48 local-use NAT64 */
	{ "64:ff9b:1::", RES }, { "64:ff9b:1:8000::1", RES },
	{ "64:ff9b:1:ffff:ffff:ffff:ffff:ffff", RES }, { "64:ff9b:2::", RES },
	/* 100::/64 discard */
	{ "ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", RES }, { "100::", RES },
	{ "100::8000:0:0:1", RES }, { "100::ffff:ffff:ffff:ffff", RES },
	{ "100:0:0:1::", RES },
	/* 2001:db8::/32 documentation */
	{ "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", PUB }, { "2001:db8::", RES },
	{ "2001:db8:8000::1", RES },
	{ "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", RES }, { "2001:db9::", PUB },
	/* 2001::/23 IETF protocol assignments, Teredo included */
	{ "2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff", PUB }, { "2001::", RES },
	{ "2001:0:4136:e378:8000:63bf:3fff:fdd2", RES }, { "2001:100::1", RES },
	{ "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", RES }, { "2001:200::", PUB },
	/* 2002::/16 6to4: the IPv4 address in bits 16-48 decides */
	{ "2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff", PUB }, { "2002::", UNSP },
	{ "2002:7f00:1::", LOOP }, { "2002:c0a8:101::1", PRIV },
	{ "2002:a9fe:a9fe::", LL }, { "2002:808:808::1", PUB },
	{ "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff", RES }, { "2003::", PUB },
	/* fc00::/7 unique local */
	{ "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", RES }, { "fc00::", PRIV },
	{ "fc00::1", PRIV }, { "fd12:3456:789a::1", PRIV },
	{ "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", PRIV }, { "fe00::", RES },
	/* fe80::/10 link-local */
	{ "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", RES }, { "fe80::", LL },
	{ "fe80::1", LL }, { "fea0::1", LL },
	{ "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", LL },
	/* fec0::/10 site-local */
	{ "fec0::", RES }, { "fed0::1", RES },
	{ "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", RES },
	/* ff00::/8 multicast */
	{ "ff00::", MC }, { "ff02::1", MC },
	{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", MC },
	/* global unicast 2000::/3 and what lies outside it */
	{ "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", RES }, { "2000::", PUB },
	{ "3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", PUB }, { "4000::", RES },
	/* public */
	{ "2606:4700::1111", PUB }, { "2001:4860:4860::8888", PUB },
	{ "2a00:1450:4001::1", PUB },
};

static const struct addr_case not_numeric[] = {
	{ "", UNK }, { "localhost", UNK }, { "example.com", UNK },
	{ "127.1", UNK }, { "2130706433", UNK }, { "0x7f.1", UNK },
	{ "[::1]", UNK }, { "::1::1", UNK }, { "256.0.0.1", UNK },
	{ "1.2.3.4 ", UNK }, { "fe80::1%lo", UNK },
};

static void
test_strings(void)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(v4); i++)
		is_str(addr_class_name(addr_classify_string(v4[i].addr)),
		    addr_class_name(v4[i].want), "%s", v4[i].addr);
	for (i = 0; i < ARRAY_LEN(v6); i++)
		is_str(addr_class_name(addr_classify_string(v6[i].addr)),
		    addr_class_name(v6[i].want), "%s", v6[i].addr);
	/*
	 * addr_classify_string takes inet_pton syntax only: the fetcher
	 * never classifies spellings, it classifies resolved sockaddrs.
	 */
	for (i = 0; i < ARRAY_LEN(not_numeric); i++)
		is_int(addr_classify_string(not_numeric[i].addr), ADDR_UNKNOWN,
		    "\"%s\" is not inet_pton syntax", not_numeric[i].addr);
	is_int(addr_classify_string(NULL), ADDR_UNKNOWN, "NULL");
}

/*
 * The SSRF spellings of RELIABILITY.md, turned into a sockaddr the way a
 * resolver would (getaddrinfo with AI_NUMERICHOST, which parses and never
 * asks DNS), then classified as the fetcher classifies them.
 */
static void
check_resolved(const char *spelling, enum addr_class want)
{
	struct addrinfo hints, *res = NULL;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	rc = getaddrinfo(spelling, "80", &hints, &res);
	if (!ok(rc == 0 && res != NULL, "getaddrinfo(\"%s\", NUMERICHOST)",
	    spelling)) {
		printf("#   %s\n", gai_strerror(rc));
		return;
	}
	is_str(addr_class_name(addr_classify(res->ai_addr, res->ai_addrlen)),
	    addr_class_name(want), "\"%s\" resolves to a %s address", spelling,
	    addr_class_name(want));
	freeaddrinfo(res);
}

static void
test_spellings(void)
{
	struct sockaddr_in sin;

	check_resolved("127.1", LOOP);
	check_resolved("2130706433", LOOP);
	check_resolved("0x7f.1", LOOP);
	check_resolved("0x7f000001", LOOP);
	check_resolved("0177.0.0.1", LOOP);
	check_resolved("127.0.0.1", LOOP);
	check_resolved("::ffff:7f00:1", LOOP);
	check_resolved("::ffff:127.0.0.1", LOOP);
	check_resolved("::1", LOOP);
	check_resolved("::", UNSP);		/* "[::]" in a URL */
	check_resolved("0.0.0.0", UNSP);
	check_resolved("0", UNSP);
	check_resolved("169.254.169.254", LL);
	check_resolved("0xa9.0xfe.0xa9.0xfe", LL);
	check_resolved("fc00::1", PRIV);
	check_resolved("fe80::1", LL);
	check_resolved("10.1", PRIV);
	check_resolved("8.8.8.8", PUB);
	check_resolved("1.1.1.1", PUB);
	check_resolved("2606:4700::1111", PUB);

	/* inet_aton, the parser behind those spellings, agrees. */
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	ok(inet_aton("0x7f.1", &sin.sin_addr) == 1 &&
	    addr_classify((struct sockaddr *)&sin, sizeof(sin)) == LOOP,
	    "inet_aton(\"0x7f.1\") is loopback");
}

static void
test_sockaddrs(void)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct sockaddr_un sa_un;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	is_int(addr_classify((struct sockaddr *)&sin, sizeof(sin)), LOOP,
	    "sockaddr_in 127.0.0.1");
	is_int(addr_classify((struct sockaddr *)&sin, sizeof(sin) - 1), UNK,
	    "sockaddr_in too short");
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	is_int(addr_classify((struct sockaddr *)&sin6, sizeof(sin6)), LOOP,
	    "sockaddr_in6 ::1");
	is_int(addr_classify((struct sockaddr *)&sin6, sizeof(sin)), UNK,
	    "sockaddr_in6 too short");
	memset(&sa_un, 0, sizeof(sa_un));
	sa_un.sun_family = AF_UNIX;
	is_int(addr_classify((struct sockaddr *)&sa_un, sizeof(sa_un)), UNK,
	    "AF_UNIX is unknown");
	is_int(addr_classify(NULL, 0), UNK, "NULL is unknown");
}

static void
test_names(void)
{
	is_str(addr_class_name(ADDR_PUBLIC), "public", "name public");
	is_str(addr_class_name(ADDR_LOOPBACK), "loopback", "name loopback");
	is_str(addr_class_name(ADDR_PRIVATE), "private", "name private");
	is_str(addr_class_name(ADDR_LINK_LOCAL), "link-local", "name link-local");
	is_str(addr_class_name(ADDR_UNSPECIFIED), "unspecified",
	    "name unspecified");
	is_str(addr_class_name(ADDR_MULTICAST), "multicast", "name multicast");
	is_str(addr_class_name(ADDR_RESERVED), "reserved", "name reserved");
	is_str(addr_class_name(ADDR_UNKNOWN), "unknown", "name unknown");
	is_str(addr_class_name((enum addr_class)99), "unknown",
	    "name of a bad value");
}

int
main(void)
{
	test_strings();
	test_spellings();
	test_sockaddrs();
	test_names();
	return tap_done();
}
