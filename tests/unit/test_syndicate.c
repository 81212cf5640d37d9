/*
 * test_syndicate.c: the content hash's normalization rules, teasers, and
 * near-variant signatures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syndicate.h"
#include "tap.h"
#include "util.h"

static const char BASE[] =
    "NATO Secretary General Jens Stoltenberg stressed the importance of expanding "
    "cooperation between the Western military alliance and partners in the Indo-Pacific "
    "region, amid a visit to North Korea by Russian President Vladimir Putin.\n\n"
    "\"Putin's visit to North Korea demonstrates and confirms the very close alignment "
    "between Russia and authoritarian states like North Korea, but also China and Iran,\" "
    "Stoltenberg said at a joint press conference with US Secretary of State Antony "
    "Blinken in Washington on Tuesday.";

static int
same(const char *a, const char *b)
{
	char ha[CONTENT_HASH_LEN], hb[CONTENT_HASH_LEN];

	if (syndicate_content_hash(a, ha) < 0 || syndicate_content_hash(b, hb) < 0)
		return 0;
	return strcmp(ha, hb) == 0;
}

/* BASE with the first occurrence of from replaced by to (malloc'd). */
static char *
edit(const char *from, const char *to)
{
	const char *p = strstr(BASE, from);
	struct buf b;

	buf_init(&b);
	buf_append(&b, BASE, (size_t)(p - BASE));
	buf_puts(&b, to);
	buf_puts(&b, p + strlen(from));
	return buf_steal(&b);
}

static void
copy(const char *variant, const char *why)
{
	ok(same(BASE, variant), "same hash: %s", why);
}

static void
not_copy(char *variant, const char *why)
{
	ok(!same(BASE, variant), "different hash: %s", why);
	free(variant);
}

static char *
cat3(const char *a, const char *b, const char *c)
{
	return xasprintf("%s%s%s", a, b, c);
}

int
main(void)
{
	char *v;

	/* Copies that differ only in what normalization removes. */
	v = cat3("Washington, June 19 (IANS/DPA) ", BASE, "");
	copy(v, "leading dateline with two agencies");
	free(v);
	v = cat3("WASHINGTON, June 19 (Reuters) - ", BASE, "");
	copy(v, "leading dateline with a dash");
	free(v);
	v = cat3("WASHINGTON: ", BASE, "");
	copy(v, "capitalised place and colon");
	free(v);
	v = cat3("WASHINGTON:\xC2\xA0", BASE, "");
	copy(v, "capitalised place, colon and no-break space");
	free(v);
	v = cat3("Washington: ", BASE, "");
	copy(v, "place and colon");
	free(v);
	v = cat3("Washington, June 19: ", BASE, "");
	copy(v, "place, date and colon");
	free(v);
	v = cat3("NEW DELHI, 19 June - ", BASE, "");
	copy(v, "place, day-month date and dash");
	free(v);
	v = cat3("Port of Spain, Jun. 19, 2024 (AFP) \xE2\x80\x94 ", BASE, "");
	copy(v, "place with a joining word, date with a year, em dash");
	free(v);
	v = cat3("Bengaluru (Karnataka) [India], June 19 (ANI/PNN): ", BASE, "");
	copy(v, "ANI dateline with state and country");
	free(v);
	v = cat3("Washington,\xC2\xA0June 19 (IANS/DPA)\xC2\xA0", BASE, "");
	copy(v, "dateline with no-break spaces");
	free(v);
	v = cat3("", BASE, " (IANS)");
	copy(v, "trailing (IANS)");
	free(v);
	v = cat3("", BASE, "\n\n--IANS\n\nsd/arm");
	copy(v, "credit and slug lines");
	free(v);
	v = cat3("", BASE, "\n\n(With inputs from agencies)");
	copy(v, "with inputs from agencies");
	free(v);
	v = cat3("", BASE, "\n\nPTI NKD HVA");
	copy(v, "PTI slug line");
	free(v);
	v = cat3("", BASE, "\n\nDisclaimer: This post has been auto-published from an agency "
	    "feed without any modifications to the text and has not been reviewed by an editor");
	copy(v, "auto-publication disclaimer");
	free(v);
	v = cat3("<p>", BASE, "</p><p>&nbsp;</p>");
	copy(v, "HTML and entities");
	free(v);
	v = edit("\"Putin's", "\xE2\x80\x9CPutin\xE2\x80\x99s");
	copy(v, "curly quotes and apostrophes");
	free(v);
	v = edit("Indo-Pacific", "Indo\xE2\x80\x93Pacific");
	copy(v, "en dash for hyphen");
	free(v);
	v = edit("Jens Stoltenberg", "Jens\xC2\xA0Stoltenberg");
	copy(v, "no-break space");
	free(v);
	v = edit("military alliance", "mili\xE2\x80\x8Btary al\xC2\xADliance");
	copy(v, "zero-width space and soft hyphen");
	free(v);
	v = edit("NATO Secretary General", "NATO SECRETARY GENERAL");
	copy(v, "case");
	free(v);
	v = edit("Stoltenberg stressed", "Stoltenberg   \n stressed");
	copy(v, "whitespace");
	free(v);
	v = edit("North Korea by", "\xEF\xBC\xAE\xEF\xBD\x8F\xEF\xBD\x92\xEF\xBD\x94\xEF\xBD\x88 Korea by");
	copy(v, "fullwidth letters (NFKC)");
	free(v);

	/* A change of any word is a different text. */
	not_copy(edit("stressed", "stresses"), "one word changed");
	not_copy(edit("Tuesday", "Wednesday"), "a day changed");
	not_copy(cat3("", BASE, " He left on Wednesday."), "a sentence added");
	not_copy(edit("China and Iran", "China or Iran"), "a conjunction");
	not_copy(edit("Stoltenberg said", "Stoltenberg, said"), "punctuation inside the text");
	not_copy(cat3("Alliance (NATO) officials said ", BASE, ""),
	    "words before a parenthesis are kept when no sentence follows it");
	not_copy(cat3("Brussels: ", "the alliance said. ", BASE), "no sentence after a colon: kept");
	/* What a dateline looks like is not removed from inside the text. */
	ok(!same("Officials said. NEW DELHI: The rest of the story follows here.",
	    "Officials said. The rest of the story follows here."),
	    "different hash: a dateline-like phrase after the first sentence");
	ok(!same("Alstone Industries (AIL) on Thursday reported a rise in profit.",
	    "on Thursday reported a rise in profit."),
	    "different hash: a company's name before its abbreviation is not a dateline");

	/* Teasers never share a full text's hash. */
	{
		struct syn_fingerprint full, teaser, prefix;
		char *t = xasprintf("%.120s...", BASE);

		ok(syndicate_is_teaser(t), "ellipsis: a teaser");
		ok(syndicate_is_teaser("Some text \xE2\x80\xA6"), "unicode ellipsis: a teaser");
		ok(syndicate_is_teaser("Some text. Read more"), "read more: a teaser");
		ok(!syndicate_is_teaser(BASE), "a full text is not a teaser");
		syndicate_fingerprint(BASE, 0, &full);
		syndicate_fingerprint(t, 1, &teaser);
		ok(teaser.teaser && !teaser.has_minhash, "teaser: no signature");
		ok(strcmp(full.hash, teaser.hash) != 0, "teaser hashed apart");
		free(t);
		{
			char *a = xasprintf("%s...", BASE), *b = xasprintf("%s...\n\n(IANS)", BASE);
			char *c = xasprintf("%s \xE2\x80\xA6 (IANS)", BASE);

			syndicate_fingerprint(a, 0, &teaser);
			syndicate_fingerprint(b, 0, &prefix);
			ok(teaser.teaser && prefix.teaser && strcmp(teaser.hash, prefix.hash) == 0,
			    "an ellipsis before a trailing credit: the same teaser");
			syndicate_fingerprint(c, 0, &prefix);
			ok(prefix.teaser, "an ellipsis character before \"(IANS)\": a teaser");
			syndicate_fingerprint("Some text. Read more \xC2\xBB", 0, &prefix);
			ok(prefix.teaser, "\"Read more \xC2\xBB\": a teaser");
			free(a);
			free(b);
			free(c);
		}
		t = xasprintf("%.200s", BASE);
		syndicate_fingerprint(t, 1, &prefix);
		ok(prefix.teaser, "a short summary is a teaser");
		syndicate_fingerprint(t, 0, &prefix);
		ok(!prefix.teaser, "the same text as content is not");
		free(t);
	}

	/* Near-variants. */
	{
		struct syn_fingerprint a, b, c, d;
		char *longer = cat3(BASE, "\n\n", "The Kremlin leader was received at the airport by "
		    "North Korean ruler Kim Jong Un, according to Russian news agency Interfax.");
		char *other = xstrdup("The Reserve Bank of India on Thursday kept the benchmark repo "
		    "rate unchanged at 6.5 per cent for the eighth consecutive time, citing sticky food "
		    "inflation and strong domestic growth, Governor Shaktikanta Das said while "
		    "announcing the bi-monthly policy review in Mumbai on Thursday morning.");
		char *word = edit("expanding", "widening");
		int shared = 0;

		syndicate_fingerprint(BASE, 0, &a);
		syndicate_fingerprint(longer, 0, &b);
		syndicate_fingerprint(other, 0, &c);
		syndicate_fingerprint(word, 0, &d);
		ok(a.has_minhash && b.has_minhash && c.has_minhash, "long texts have signatures");
		ok(syndicate_similarity(a.minhash, a.minhash) == 1.0, "identical: similarity 1");
		ok(syndicate_similarity(a.minhash, d.minhash) >= SYN_FAMILY_SIMILARITY,
		    "one word changed: same family (%.2f)", syndicate_similarity(a.minhash, d.minhash));
		ok(syndicate_similarity(a.minhash, b.minhash) >= 0.55,
		    "a sentence added to a short text: similar (%.2f)",
		    syndicate_similarity(a.minhash, b.minhash));
		ok(syndicate_similarity(a.minhash, c.minhash) < 0.2,
		    "another story: dissimilar (%.2f)", syndicate_similarity(a.minhash, c.minhash));
		for (int i = 0; i < SYN_BANDS; i++)
			shared += a.bands[i] == d.bands[i];
		ok(shared > 0, "near-variants share an LSH band (%d)", shared);
		shared = 0;
		for (int i = 0; i < SYN_BANDS; i++)
			shared += a.bands[i] == c.bands[i];
		ok(shared == 0, "different stories share none");
		free(longer);
		free(other);
		free(word);
	}

	/* Bad input: no crash, sane results. */
	{
		struct syn_fingerprint fp;
		struct buf b;

		ok(syndicate_fingerprint("", 0, &fp) < 0, "empty body: no story");
		ok(syndicate_fingerprint("   \n\n  ", 0, &fp) < 0, "blank body: no story");
		ok(syndicate_fingerprint("(IANS)", 0, &fp) < 0, "a credit alone: no story");
		buf_init(&b);
		for (int i = 0; i < 200000; i++)
			buf_puts(&b, "word ");
		ok(syndicate_fingerprint(b.data, 0, &fp) == 0 && !fp.has_minhash,
		    "one word repeated: a story, but no signature to join a family by");
		buf_free(&b);
		buf_init(&b);
		for (int i = 0; i < 2000; i++)
			buf_puts(&b, "breaking news update ");
		ok(syndicate_fingerprint(b.data, 0, &fp) == 0 && !fp.has_minhash,
		    "one phrase repeated: no signature");
		buf_free(&b);
		{
			struct syn_fingerprint f2;
			char *few = xstrdup("one two three four five six seven eight nine ten eleven twelve "
			    "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty "
			    "twentyone twentytwo twentythree twentyfour twentyfive twentysix "
			    "twentyseven twentyeight twentynine thirty");

			ok(syndicate_fingerprint(few, 0, &f2) == 0 && f2.has_minhash,
			    "thirty different words: a signature");
			free(few);
		}
		buf_init(&b);
		while (b.len < 5 * 1024 * 1024)
			buf_puts(&b, BASE);
		ok(syndicate_fingerprint(b.data, 0, &fp) == 0, "5 MB body");
		buf_free(&b);
		ok(syndicate_fingerprint("\xff\xfe invalid \xc3", 0, &fp) == 0, "invalid UTF-8");
	}
	/* The family rule: similar, or the shorter mostly inside the longer. */
	ok(syndicate_same_family(0.75, 400, 420), "similar texts: one family");
	ok(!syndicate_same_family(0.3, 400, 420), "dissimilar texts: apart");
	ok(syndicate_same_family(0.5, 200, 400), "a brief of half the text (containment 1.0): one family");
	ok(!syndicate_same_family(0.5, 400, 400), "half the same at equal length (containment 0.67): apart");
	ok(!syndicate_same_family(0.35, 100, 400), "below the floor: apart whatever the containment");
	ok(!syndicate_same_family(0.5, 0, 400), "no shingles: apart");
	return tap_done();
}
