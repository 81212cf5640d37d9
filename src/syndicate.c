/*
 * syndicate.c: content hashes for story assignment.
 */
#include "syndicate.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "util.h"

char *
syndicate_normalize(const char *text)
{
	struct buf b;
	int space = 0;

	buf_init(&b);
	buf_reserve(&b, strlen(text));
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		unsigned char c = *p;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			space = b.len > 0;
			continue;
		}
		if (space) {
			buf_putc(&b, ' ');
			space = 0;
		}
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		buf_putc(&b, (char)c);
	}
	return buf_steal(&b);
}

int
syndicate_content_hash(const char *text, char out[CONTENT_HASH_LEN])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char *norm;

	if (text == NULL)
		return -1;
	norm = syndicate_normalize(text);
	if (norm[0] == '\0') {
		free(norm);
		return -1;
	}
	if (EVP_Digest(norm, strlen(norm), md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32) {
		free(norm);
		return -1;
	}
	free(norm);
	for (unsigned int i = 0; i < mdlen; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	return 0;
}
