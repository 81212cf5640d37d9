/*
 * clips.h: e-paper articles continued on another page (pure).
 *
 * A printed article often breaks off with a jump line ("Continued on page
 * 4", "Contd. on P5", "(Turn to Page 9)") and goes on in a clip on that
 * page that starts "Continued from page 1" ("Contd from P1", "From Page
 * 1").  clips_cut_jumps finds and removes those lines from a clip's text;
 * clips_chain pairs each clip that jumps with the clip that continues it,
 * and clips_join makes one body of a chain.
 */
#ifndef DATELINE_CLIPS_H
#define DATELINE_CLIPS_H

#include <stddef.h>
#include <stdint.h>

/* Longest chain of clips joined into one article. */
#define CLIPS_MAX_CHAIN 16

/*
 * The text of a clip without its jump lines (paragraphs separated by a
 * blank line, as the extractor gives them), malloc'd; *jump_to gets the
 * page a trailing "Continued on page N" names, *jump_from the page a
 * leading "Continued from page N" names (0 when there is none).
 */
char *clips_cut_jumps(const char *text, int *jump_to, int *jump_from);

/* One clip of an edition, as the joiner sees it. */
struct clip {
	int page;               /* the printed page it is on (0: unknown) */
	int position;           /* order of its link on the edition's index */
	const char *title;      /* or NULL */
	const char *text;       /* its own text, jump lines cut; or NULL */
	int jump_to, jump_from; /* 0: none */
};

/*
 * Pairs the clips of one edition: next[i] is the index of the clip that
 * continues clip i, or -1.  A clip continues one that jumps to its page
 * and that it says it comes from; where several could pair, the pairs
 * whose titles share the most words win, then page and link order.  No
 * clip continues two, none is continued twice, chains have no cycles and
 * at most CLIPS_MAX_CHAIN clips.
 */
void clips_chain(const struct clip *c, size_t n, long *next);

/*
 * The text of the chain that starts at head (joined with a blank line),
 * at most max bytes (cut on a paragraph, else a character boundary);
 * malloc'd.
 */
char *clips_join(const struct clip *c, const long *next, size_t head, size_t max);

#endif
