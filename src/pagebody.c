/*
 * pagebody.c: related-story links, the main text, and its paragraphs.
 *
 * Works on the arrays of pagedom.h: the blocks inside an element are an
 * index range, so finding sections, scoring and assembling are linear in
 * the size of the page.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dates.h"
#include "pageint.h"
#include "url.h"
#include "util.h"

#define MIN_PARA_CHARS 25       /* Readability's: shorter text is not scored */
#define SCORE_LEVELS 5          /* ancestors a paragraph's score reaches */
#define SECTION_CLIMB 2         /* levels a related heading may climb */
#define INSERT_MAX_CHARS 300    /* an "Also read" insert is short */
#define MAX_INSERTS 32          /* NOTE: each looks through its block's owner */
#define DISCLAIMER_MAX_CHARS 600
#define TEASER_WINDOW 8         /* paragraphs a teaser may precede its full text by */

/* ------------------------------------------------------------------ */
/* Related links                                                       */

static int
bad_href(const char *h)
{
	while (*h == ' ' || *h == '\t' || *h == '\n')
		h++;
	return *h == '\0' || *h == '#' || strncasecmp(h, "javascript:", 11) == 0 ||
	    strncasecmp(h, "mailto:", 7) == 0 || strncasecmp(h, "tel:", 4) == 0 ||
	    strncasecmp(h, "whatsapp:", 9) == 0 || strncasecmp(h, "data:", 5) == 0;
}

static char *
elem_text(const struct pdom *d, uint32_t i, size_t max)
{
	struct buf b;

	buf_init(&b);
	pdom_node_text(d->el[i].node, &b, max);
	return buf_steal(&b);
}

/* The first element in (from, to] with cflags bit, outside [skip, skip_end]. */
static uint32_t
find_flagged(const struct pdom *d, uint32_t from, uint32_t to, uint16_t bit,
    uint32_t skip, uint32_t skip_end)
{
	for (uint32_t j = from + 1; j <= to; j++) {
		if (j >= skip && j <= skip_end) {
			j = skip_end;
			continue;
		}
		if ((d->el[j].cflags & bit) && !(bit == C_TITLE && (d->el[j].cflags & C_CATEGORY)))
			return j;
		if (bit == C_TITLE && pdom_is_heading(d->el[j].tag))
			return j;
	}
	return PEL_NONE;
}

static const char *
skip_space(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

static int
all_caps(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'a' && s[i] <= 'z')
			return 0;
	return 1;
}

/*
 * "ALSO READ Pune Porsche crash: ...": a card's label is not part of the
 * title.  Removes a leading literal related heading, in place.
 */
static void
strip_label(const struct page_ctx *c, char *title)
{
	const struct strlist *h = &c->rules->headings;

	for (size_t i = 0; i < h->n; i++) {
		size_t k = strcspn(h->v[i], "*");

		if (k == 0 || h->v[i][k] != '\0' || strncasecmp(title, h->v[i], k) != 0)
			continue;
		/* A label: in capitals ("ALSO READ"), or ended by ':' or '|'. */
		if (title[k] == ':' || title[k] == '|' || (title[k] == ' ' && all_caps(title, k))) {
			const char *rest = title + k;

			while (*rest == ' ' || *rest == ':' || *rest == '|' || *rest == '-')
				rest++;
			if (*rest != '\0')
				memmove(title, rest, strlen(rest) + 1);
			return;
		}
	}
}

/*
 * Adds the link at element ai, found in the related section rooted at r.
 * Category and title come from the markup where they are separate
 * elements, else from splitting glued text with the category vocabulary.
 */
static void
add_link(struct page_ctx *c, uint32_t ai, uint32_t r)
{
	struct pdom *d = &c->d;
	const struct pel *a = &d->el[ai];
	const char *href = pdom_attr(a->node, "href");
	char *url, *text, *cat = NULL, *title = NULL;
	uint32_t catel, titel, item;
	struct buf nb;

	if (href == NULL || bad_href(href) || (a->cflags & C_CATEGORY))
		return;
	if ((url = url_resolve(c->base, href)) == NULL)
		return;
	if (!url_is_http(url) || (c->page_url != NULL && strcmp(url, c->page_url) == 0)) {
		free(url);
		return;
	}
	for (size_t i = 0; i < c->nlinks; i++)
		if (strcmp(c->links[i].url, url) == 0) {
			free(url);
			return;
		}
	text = elem_text(d, ai, 1024);

	catel = find_flagged(d, ai, a->end, C_CATEGORY, PEL_NONE, PEL_NONE);
	titel = find_flagged(d, ai, a->end, C_TITLE, PEL_NONE, PEL_NONE);
	if (catel == PEL_NONE) {
		/* A label next to the link, in the same list item or card. */
		item = ai;
		for (int up = 0; up < 2; up++) {
			uint32_t p = d->el[item].parent;

			/* Not into the list: the parent holds no other link text. */
			if (p == PEL_NONE || p < r || d->el[p].end - p > 40 ||
			    d->el[p].links > a->links)
				break;
			item = p;
		}
		if (item != ai)
			catel = find_flagged(d, item - 1, d->el[item].end, C_CATEGORY,
			    ai, a->end);
	}
	if (catel != PEL_NONE) {
		cat = elem_text(d, catel, 256);
		if (cat[0] == '\0' || strlen(cat) > 60) {
			free(cat);
			cat = NULL;
		}
	}
	if (titel != PEL_NONE) {
		title = elem_text(d, titel, 1024);
		if (title[0] == '\0') {
			free(title);
			title = NULL;
		}
	}
	if (title == NULL) {
		size_t cl = cat ? strlen(cat) : 0, tl = strlen(text);

		if (cat != NULL && tl > cl && strncmp(text, cat, cl) == 0)
			title = xstrdup(skip_space(text + cl));
		else if (cat != NULL && tl > cl && strcmp(text + tl - cl, cat) == 0) {
			title = xstrndup(text, tl - cl);
			for (size_t n = strlen(title); n > 0 && title[n - 1] == ' '; n--)
				title[n - 1] = '\0';
		} else
			title = xstrdup(text);
	}
	free(text);
	strip_label(c, title);
	if (cat == NULL) {
		size_t k = page_glued_category(c->rules, title);

		if (k > 0) {
			char *rest = xstrdup(skip_space(title + k));

			cat = xstrndup(title, k);
			free(title);
			title = rest;
		}
	}
	buf_init(&nb);
	page_norm(title, strlen(title), &nb);
	if (title[0] == '\0' || (nb.len < 40 && page_match_any(&c->rules->boilerplate,
	    nb.data ? nb.data : ""))) {
		buf_free(&nb);
		free(url);
		free(title);
		free(cat);
		return;
	}
	buf_free(&nb);
	c->links = xreallocarray(c->links, c->nlinks + 1, sizeof(*c->links));
	c->links[c->nlinks].url = url;
	c->links[c->nlinks].title = page_field(title, strlen(title));
	c->links[c->nlinks].category = cat ? page_field(cat, strlen(cat)) : NULL;
	c->nlinks++;
	free(title);
	free(cat);
}

/* Takes the links inside element r (min_text: shortest link text taken). */
static void
take_links(struct page_ctx *c, uint32_t r, uint32_t min_text)
{
	struct pdom *d = &c->d;

	for (uint32_t j = r; j <= d->el[r].end && c->nlinks < PAGE_MAX_RELATED; j++) {
		struct pel *e = &d->el[j];

		if (!(e->flags & E_LINK) || (e->flags & E_TAKEN))
			continue;
		if (e->text < min_text)
			continue;
		e->flags |= E_TAKEN;
		add_link(c, j, r);
	}
}

static void
mark_blocks(struct pdom *d, uint32_t i, uint16_t flag)
{
	for (uint32_t b = d->el[i].bstart; b < d->el[i].bend; b++)
		d->bl[b].flags |= flag;
}

/* Normalized block text with trailing ':', '|', '>' and the like cut. */
static void
heading_norm(const struct pdom *d, const struct pblock *b, struct buf *out)
{
	buf_reset(out);
	page_norm(pdom_block_text(d, b), b->len, out);
	while (out->len > 0) {
		char ch = out->data[out->len - 1];

		if (ch == ':' || ch == '|' || ch == '>' || ch == '-' || ch == ' ' ||
		    ch == '.' || ch == '/')
			out->data[--out->len] = '\0';
		else if (out->len >= 2 && ((unsigned char)ch == 0xBB ||
		    (unsigned char)ch == 0xBA) && (unsigned char)out->data[out->len - 2] == 0xC2)
			out->data[out->len -= 2] = '\0';    /* » */
		else if (out->len >= 3 && (unsigned char)ch == 0xBA &&
		    (unsigned char)out->data[out->len - 2] == 0x80)
			out->data[out->len -= 3] = '\0';    /* › */
		else
			break;
	}
}

static int
is_related_heading(struct page_ctx *c, uint32_t b, struct buf *nb)
{
	const struct pblock *bl = &c->d.bl[b];

	if (bl->chars > 80 || bl->chars < 4)
		return 0;
	heading_norm(&c->d, bl, nb);
	return nb->len > 0 && page_match_any(&c->rules->headings, nb->data);
}

/*
 * The links after a related heading: the heading's following siblings up
 * to the next heading, climbing out of a wrapper that holds only the
 * heading.
 */
static void
take_section(struct page_ctx *c, uint32_t b, struct buf *nb)
{
	struct pdom *d = &c->d;
	uint32_t h = d->bl[b].el, e = h;
	size_t before = c->nlinks;

	d->bl[b].flags |= B_RELATED;
	/*
	 * "<td><b>Also See:</b><br><a>...</a><br><a>...</a></td>": the
	 * heading's block owner holds the list too; the section is the rest
	 * of the owner, up to the next related heading.
	 */
	if (!pdom_is_heading(d->el[h].tag) && d->el[h].bend > b + 1) {
		uint32_t end = d->el[h].bend;

		for (uint32_t k = b + 1; k < d->el[h].bend; k++)
			if (is_related_heading(c, k, nb)) {
				end = k;
				break;
			}
		for (uint32_t j = h + 1; j <= d->el[h].end && c->nlinks < PAGE_MAX_RELATED; j++) {
			struct pel *x = &d->el[j];

			if (x->bstart >= end)
				break;
			if ((x->flags & E_LINK) && !(x->flags & E_TAKEN) && x->bstart > b) {
				x->flags |= E_TAKEN;
				add_link(c, j, h);
			}
		}
		for (uint32_t k = b + 1; k < end; k++)
			d->bl[k].flags |= B_RELATED;
		if (c->nlinks > before)
			return;
	}
	for (int level = 0; level <= SECTION_CLIMB; level++) {
		uint32_t p = d->el[e].parent, j, found = 0;

		if (p == PEL_NONE)
			break;
		for (j = d->el[e].end + 1; j <= d->el[p].end; j = d->el[j].end + 1) {
			const struct pel *s = &d->el[j];

			if (pdom_is_heading(s->tag))
				break;
			if (s->bstart < s->bend && is_related_heading(c, s->bstart, nb))
				break;
			/* Article text again, not a list of links. */
			if ((s->links == 0 && s->text > 40) ||
			    (s->tag == T_P && s->links * 2 < s->text))
				break;
			if (s->links > 0)
				found++;
			take_links(c, j, 1);
			mark_blocks(d, j, B_RELATED);
		}
		if (found > 0 || c->nlinks > before)
			break;
		/* Climb only out of a wrapper that holds nothing but the heading. */
		if (d->el[p].text > d->el[h].text + 3)
			break;
		mark_blocks(d, p, B_RELATED);
		e = p;
	}
}

/*
 * "Also read: <a>Title</a>" inside the text: a related link, not text.
 * Returns 1 when block b was one.
 */
static int
take_insert(struct page_ctx *c, uint32_t b, struct buf *nb)
{
	struct pdom *d = &c->d;
	struct pblock *bl = &d->bl[b];
	uint32_t o = bl->el;

	if (bl->links == 0 || bl->links * 2 < bl->chars || bl->chars > INSERT_MAX_CHARS)
		return 0;
	buf_reset(nb);
	page_norm(pdom_block_text(d, bl), bl->len, nb);
	if (nb->len == 0 || !page_match_any(&c->rules->inserts, nb->data))
		return 0;
	bl->flags |= B_ALSOREAD;
	for (uint32_t j = o; j <= d->el[o].end && c->nlinks < PAGE_MAX_RELATED; j++) {
		struct pel *e = &d->el[j];

		if (e->bstart > b)
			break;
		if ((e->flags & E_LINK) && !(e->flags & E_TAKEN) && e->bstart == b) {
			e->flags |= E_TAKEN;
			add_link(c, j, o);
		}
	}
	return 1;
}

void
page_related(struct page_ctx *c)
{
	struct pdom *d = &c->d;
	struct buf nb;
	int inserts = 0;

	buf_init(&nb);
	if (c->opts->overrides != NULL && c->opts->overrides->related != NULL) {
		uint32_t nodes[64];
		size_t n = page_xpath_nodes(c, c->opts->overrides->related, nodes,
		    ARRAY_LEN(nodes));

		for (size_t i = 0; i < n; i++) {
			take_links(c, nodes[i], 1);
			mark_blocks(d, nodes[i], B_RELATED);
		}
	}
	for (uint32_t b = 0; b < d->nbl && c->nlinks < PAGE_MAX_RELATED; b++) {
		if (d->bl[b].flags & B_RELATED)
			continue;
		const struct pblock *bl = &d->bl[b];
		const struct pel *o = &d->el[bl->el];

		if (o->flags & E_IN_COMMENT)
			continue;
		/*
		 * NOTE: a heading is plain text or a heading element; an
		 * insert has some text that is not its link.  Navigation
		 * items, all link, are neither: skipping them keeps this loop
		 * cheap.
		 */
		if (bl->chars <= 80 && (bl->links == 0 || pdom_is_heading(o->tag) ||
		    (o->cflags & C_TITLE)) && is_related_heading(c, b, &nb))
			take_section(c, b, &nb);
		else if (bl->links > 0 && bl->links < bl->chars && inserts < MAX_INSERTS)
			inserts += take_insert(c, b, &nb);
	}
	/*
	 * Containers classed "related" or "also-read" without a heading we
	 * know.  NOTE: only links with headline-length text: such containers
	 * also hold tag and section links ("NATO", "World").
	 */
	for (size_t i = 0; i < d->nrelated && c->nlinks < PAGE_MAX_RELATED; i++) {
		take_links(c, d->related[i], 20);
		mark_blocks(d, d->related[i], B_RELATED);
	}
	buf_free(&nb);
}

/* ------------------------------------------------------------------ */
/* Content scoring                                                     */

/* The element a text run's score goes to: a paragraph's parent, or the container itself. */
static uint32_t
block_container(const struct pdom *d, uint32_t o)
{
	switch (d->el[o].tag) {
	case T_P: case T_PRE: case T_BLOCKQUOTE: case T_LI: case T_DD: case T_DT:
	case T_TH: case T_FIGCAPTION: case T_H1: case T_H2: case T_H3: case T_H4:
	case T_H5: case T_H6:
		return d->el[o].parent;
	default:
		return o;
	}
}

/* Readability's initial score of a candidate, by tag. */
static float
tag_bonus(int tag)
{
	switch (tag) {
	case T_DIV: return 5;
	case T_PRE: case T_TD: case T_BLOCKQUOTE: return 3;
	case T_OL: case T_UL: case T_LI: case T_DD: case T_DT: case T_FORM: return -3;
	case T_H1: case T_H2: case T_H3: case T_H4: case T_H5: case T_H6: case T_TH:
		return -5;
	default: return 0;
	}
}

static int
scorable(const struct page_ctx *c, const struct pblock *b, int pass)
{
	const struct pel *o = &c->d.el[b->el];

	if (b->flags & (B_RELATED | B_ALSOREAD))
		return 0;
	if (b->chars < MIN_PARA_CHARS || o->tag == T_H1 || o->tag == T_LI)
		return 0;
	if (pass == 1 && o->junk != PEL_NONE)
		return 0;
	return 1;
}

static double
link_density(const struct pel *e)
{
	return e->text > 0 ? (double)e->links / e->text : 0;
}

static int
same_class(const struct pel *a, const struct pel *b)
{
	const char *ca = pdom_attr(a->node, "class"), *cb = pdom_attr(b->node, "class");

	return ca != NULL && cb != NULL && *ca && strcmp(ca, cb) == 0;
}

/* A short paragraph that reads like a sentence ("... ." or ". "). */
static int
sentence_like(const struct pdom *d, const struct pel *s)
{
	for (uint32_t b = s->bstart; b < s->bend; b++) {
		const char *t = pdom_block_text(d, &d->bl[b]);
		size_t n = d->bl[b].len;

		if ((n > 0 && t[n - 1] == '.') || memmem(t, n, ". ", 2) != NULL)
			return 1;
	}
	return 0;
}

/*
 * Where the headline's story is when the page holds several h1s (the next
 * story loaded below, a logo): the largest ancestor of the headline's h1
 * that holds no other h1.  PEL_NONE when there is only one h1.
 */
static uint32_t
headline_region(const struct page_ctx *c)
{
	const struct pdom *d = &c->d;
	uint32_t r = c->title_el, p;

	if (r == PEL_NONE || d->nh1 < 2)
		return PEL_NONE;
	while ((p = d->el[r].parent) != PEL_NONE) {
		for (size_t i = 0; i < d->nh1; i++)
			if (d->h1[i] != c->title_el && d->h1[i] >= p && d->h1[i] <= d->el[p].end)
				return r;
		r = p;
	}
	return PEL_NONE;    /* every h1 is inside the headline's: no region */
}

/*
 * Scores text containers as Readability does and fills c->roots with the
 * best one and its worthy siblings.  Returns the number of roots.
 */
static size_t
score_roots(struct page_ctx *c, int pass)
{
	struct pdom *d = &c->d;
	uint32_t *cand = NULL, top = PEL_NONE, p, region;
	size_t ncand = 0, capcand = 0;
	double threshold, last;

	for (uint32_t i = 0; i < d->nel; i++) {
		d->el[i].flags &= (uint16_t)~E_SCORED;
		d->el[i].score = 0;
	}
	for (uint32_t b = 0; b < d->nbl; b++) {
		const struct pblock *bl = &d->bl[b];
		uint32_t e;
		float cs;

		if (!scorable(c, bl, pass))
			continue;
		cs = 1.0f + bl->commas + (float)(bl->chars / 100 < 3 ? bl->chars / 100 : 3);
		e = block_container(d, bl->el);
		for (int level = 0; level < SCORE_LEVELS && e != PEL_NONE; level++) {
			struct pel *x = &d->el[e];

			if (x->tag == T_HTML)
				break;
			if (!(x->flags & E_SCORED)) {
				x->flags |= E_SCORED;
				x->score = tag_bonus(x->tag) + x->weight;
				if (ncand == capcand) {
					capcand = capcand ? capcand * 2 : 64;
					cand = xreallocarray(cand, capcand, sizeof(*cand));
				}
				cand[ncand++] = e;
			}
			x->score += cs / (level == 0 ? 1 : level == 1 ? 2 : level * 3);
			e = x->parent;
		}
	}
	for (size_t i = 0; i < ncand; i++)
		d->el[cand[i]].score *= (float)(1.0 - link_density(&d->el[cand[i]]));
	/* The best in the headline's region, else the best anywhere. */
	region = headline_region(c);
	for (int pick = 0; pick < 2 && top == PEL_NONE; pick++)
		for (size_t i = 0; i < ncand; i++) {
			if (pick == 0 && (region == PEL_NONE || cand[i] < region ||
			    cand[i] > d->el[region].end))
				continue;
			if (top == PEL_NONE || d->el[cand[i]].score > d->el[top].score)
				top = cand[i];
		}
	free(cand);
	if (top == PEL_NONE)
		return 0;

	/* A parent scoring nearly as well holds more of the article. */
	last = d->el[top].score;
	threshold = last / 3;
	for (p = d->el[top].parent; p != PEL_NONE && d->el[p].tag != T_BODY;
	    p = d->el[p].parent) {
		if (!(d->el[p].flags & E_SCORED))
			continue;
		if (d->el[p].score < threshold)
			break;
		if (d->el[p].score > last) {
			top = p;
			break;
		}
		last = d->el[p].score;
	}
	/* An only child says nothing its parent does not. */
	while ((p = d->el[top].parent) != PEL_NONE && d->el[p].tag != T_BODY &&
	    top == p + 1 && d->el[top].end == d->el[p].end)
		top = p;

	c->nroots = 0;
	p = d->el[top].parent;
	if (p == PEL_NONE) {
		c->roots[c->nroots++] = top;
		return c->nroots;
	}
	threshold = d->el[top].score * 0.2 > 10 ? d->el[top].score * 0.2 : 10;
	for (uint32_t s = p + 1; s <= d->el[p].end && c->nroots < ARRAY_LEN(c->roots);
	    s = d->el[s].end + 1) {
		const struct pel *x = &d->el[s];
		int append = 0;

		if (s == top)
			append = 1;
		else if ((pass == 1 && x->junk == s) || x->text == 0)
			append = 0;
		else if ((x->flags & E_SCORED) && x->score + (same_class(x, &d->el[top]) ?
		    d->el[top].score * 0.2 : 0) >= threshold)
			append = 1;
		else if (x->tag == T_P || x->tag == T_BLOCKQUOTE) {
			double ld = link_density(x);

			if (x->text > 80 && ld < 0.25)
				append = 1;
			else if (x->text <= 80 && ld == 0 && sentence_like(d, x))
				append = 1;
		}
		if (append && x->bstart < x->bend &&
		    (d->bl[x->bstart].flags & (B_RELATED | B_ALSOREAD)) &&
		    x->bend - x->bstart == 1)
			append = s == top;
		if (append)
			c->roots[c->nroots++] = s;
	}
	return c->nroots;
}

/* ------------------------------------------------------------------ */
/* Paragraphs                                                          */

static void
add_para(struct page_ctx *c, const char *s, size_t len, uint32_t block)
{
	if (c->nparas >= PAGE_MAX_PARAS || len == 0)
		return;
	if (c->nparas % 64 == 0)
		c->paras = xreallocarray(c->paras, c->nparas + 64, sizeof(*c->paras));
	c->paras[c->nparas].s = s;
	c->paras[c->nparas].len = len;
	c->paras[c->nparas].block = block;
	c->nparas++;
}

static void
paras_from_roots(struct page_ctx *c)
{
	struct pdom *d = &c->d;
	uint32_t text = 0, links = 0;

	for (size_t i = 0; i < c->nroots; i++) {
		uint32_t r = c->roots[i];

		text += d->el[r].text;
		links += d->el[r].links;
		for (uint32_t b = d->el[r].bstart; b < d->el[r].bend; b++) {
			const struct pblock *bl = &d->bl[b];
			const struct pel *o = &d->el[bl->el];

			if (bl->flags & (B_RELATED | B_ALSOREAD))
				continue;
			if (o->junk != PEL_NONE && o->junk > r)
				continue;
			if (o->tag == T_H1 || bl->links * 2 > bl->chars)
				continue;
			add_para(c, pdom_block_text(d, bl), bl->len, b);
		}
	}
	c->root_link_density = text > 0 ? (double)links / text : 0;
}

/* Word tokens hashed (FNV-1a over ASCII-lowercased bytes). */
static int
next_token(const char *s, size_t len, size_t *pos, uint64_t *h)
{
	size_t i = *pos;

	while (i < len && !((unsigned char)s[i] >= 0x80 ||
	    ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') || (s[i] >= '0' && s[i] <= '9')))
		i++;
	if (i >= len)
		return 0;
	*h = 1469598103934665603ULL;
	while (i < len && ((unsigned char)s[i] >= 0x80 ||
	    ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') || (s[i] >= '0' && s[i] <= '9'))) {
		unsigned char ch = (unsigned char)s[i++];

		if (ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch + 32);
		*h = (*h ^ ch) * 1099511628211ULL;
	}
	*pos = i;
	return 1;
}

struct tokset {
	uint64_t *v;
	size_t cap, n;
};

static void
tokset_add(struct tokset *t, uint64_t h)
{
	size_t i;

	h |= 1;     /* 0 marks an empty slot */
	if ((t->n + 1) * 2 > t->cap) {
		struct tokset u = { NULL, t->cap ? t->cap * 2 : 1024, 0 };

		u.v = xcalloc(u.cap, sizeof(*u.v));
		for (size_t k = 0; k < t->cap; k++)
			if (t->v[k])
				tokset_add(&u, t->v[k]);
		free(t->v);
		*t = u;
	}
	for (i = h & (t->cap - 1); t->v[i] && t->v[i] != h; i = (i + 1) & (t->cap - 1))
		;
	if (!t->v[i]) {
		t->v[i] = h;
		t->n++;
	}
}

static int
tokset_has(const struct tokset *t, uint64_t h)
{
	h |= 1;
	if (t->cap == 0)
		return 0;
	for (size_t i = h & (t->cap - 1); t->v[i]; i = (i + 1) & (t->cap - 1))
		if (t->v[i] == h)
			return 1;
	return 0;
}

/*
 * JSON-LD articleBody and the text found in the page are usually the same
 * story: the page's paragraphs are better (real paragraph breaks, no
 * entity debris), so keep those whose words are in articleBody.  When the
 * page's text misses much of articleBody, articleBody wins; when
 * articleBody is much shorter than the page's text it is an excerpt and
 * is ignored.
 */
static void
reconcile_ld_body(struct page_ctx *c)
{
	struct tokset ldset = { 0 }, keptset = { 0 };
	const char *ldb = c->ld.body;
	size_t ldlen, pos = 0, ntok = 0, domtok = 0, hit = 0, kept = 0;
	uint64_t h;

	if (ldb == NULL)
		return;
	ldlen = strlen(ldb);
	while (next_token(ldb, ldlen, &pos, &h)) {
		tokset_add(&ldset, h);
		ntok++;
	}
	for (size_t i = 0; i < c->nparas; i++) {
		pos = 0;
		while (next_token(c->paras[i].s, c->paras[i].len, &pos, &h))
			domtok++;
	}
	if (c->nparas > 0 && ntok * 2 < domtok)
		goto done;      /* an excerpt */
	for (size_t i = 0; i < c->nparas; i++) {
		size_t in = 0, all = 0;

		pos = 0;
		while (next_token(c->paras[i].s, c->paras[i].len, &pos, &h)) {
			all++;
			in += tokset_has(&ldset, h);
		}
		if (all > 0 && in * 10 >= all * 6) {
			c->paras[kept++] = c->paras[i];
			pos = 0;
			while (next_token(c->paras[kept - 1].s, c->paras[kept - 1].len, &pos, &h))
				tokset_add(&keptset, h);
		}
	}
	pos = 0;
	while (next_token(ldb, ldlen, &pos, &h))
		hit += tokset_has(&keptset, h);
	if (kept > 0 && hit * 10 >= ntok * 9) {
		c->nparas = kept;
		goto done;
	}
	/* The page's text misses too much: articleBody's paragraphs. */
	c->nparas = 0;
	c->body_from_ld = 1;
	for (const char *p = ldb; *p;) {
		const char *e = strstr(p, "\n\n");
		size_t n = e ? (size_t)(e - p) : strlen(p);

		add_para(c, p, n, PEL_NONE);
		p += n + (e ? 2 : 0);
	}
done:
	free(ldset.v);
	free(keptset.v);
}

void
page_find_body(struct page_ctx *c)
{
	struct pdom *d = &c->d;
	const struct page_overrides *o = c->opts->overrides;

	c->nroots = 0;
	if (o != NULL && o->body != NULL && *o->body != '\0') {
		size_t n = page_xpath_nodes(c, o->body, c->roots, ARRAY_LEN(c->roots)), k = 0;

		/* Drop nodes inside another selected node. */
		for (size_t i = 0; i < n; i++) {
			int inside = 0;

			for (size_t j = 0; j < n; j++)
				if (j != i && c->roots[j] < c->roots[i] &&
				    c->roots[i] <= d->el[c->roots[j]].end)
					inside = 1;
			if (!inside)
				c->roots[k++] = c->roots[i];
		}
		c->nroots = k;
		if (k > 0) {
			paras_from_roots(c);
			if (c->nparas > 0)
				return;
		}
		c->nroots = 0;
	}
	if (d->ip_body != PEL_NONE && d->el[d->ip_body].text >= 100) {
		c->roots[0] = d->ip_body;
		c->nroots = 1;
		paras_from_roots(c);
	} else if (score_roots(c, 1) > 0 || score_roots(c, 2) > 0)
		paras_from_roots(c);
	reconcile_ld_body(c);
}

/* Length of s without a trailing ellipsis ("...", "…", "[...]"); 0: none. */
static size_t
strip_ellipsis(const char *s, size_t n)
{
	size_t k = n;

	if (k >= 5 && memcmp(s + k - 5, "[...]", 5) == 0)
		k -= 5;
	else if (k >= 3 && memcmp(s + k - 3, "...", 3) == 0)
		k -= 3;
	else if (k >= 3 && memcmp(s + k - 3, "\xE2\x80\xA6", 3) == 0)
		k -= 3;
	else
		return 0;
	while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '.'))
		k--;
	return k;
}

static int
memchr_digit(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return 1;
	return 0;
}

/* "Updated: June 19, 2024 06:35 IST" on its own: not text. */
static int
date_line(const struct page_ctx *c, const struct page_para *p)
{
	int64_t pub = DATE_UNSET, upd = DATE_UNSET, t;
	char *s = xstrndup(p->s, p->len);
	int yes;

	page_visible_dates(s, p->len, c->opts->default_tz, &pub, &upd);
	yes = pub != DATE_UNSET || upd != DATE_UNSET || date_parse(s, NULL, &t) == 0;
	free(s);
	return yes;
}

/*
 * A short label printed above the headline, such as a section kicker
 * ("World") or a breadcrumb: not article text.  NOTE: elements are
 * numbered in document order, so "above" is a comparison of indices.
 */
static int
above_headline(const struct page_ctx *c, const struct page_para *p)
{
	const struct pdom *d = &c->d;

	if (c->title_el == PEL_NONE || p->block == PEL_NONE || p->len > 40)
		return 0;
	if (d->bl[p->block].el >= c->title_el)
		return 0;
	return memchr(p->s, '.', p->len) == NULL && memchr(p->s, ',', p->len) == NULL;
}

void
page_clean_body(struct page_ctx *c, struct page_article *a)
{
	struct pdom *d = &c->d;
	struct buf nb, tn;
	size_t k = 0;
	char *keep;

	buf_init(&nb);
	buf_init(&tn);
	/* A disclaimer anywhere on the page (not in the comments) counts. */
	for (uint32_t b = 0; b < d->nbl && !a->auto_published; b++) {
		const struct pblock *bl = &d->bl[b];

		if (bl->chars > DISCLAIMER_MAX_CHARS || bl->chars < 20 ||
		    bl->links * 2 > bl->chars ||
		    (d->el[bl->el].flags & (E_IN_COMMENT | E_IN_NAV)))
			continue;
		buf_reset(&nb);
		page_norm(pdom_block_text(d, bl), bl->len, &nb);
		if (page_disclaimer(c->rules, nb.data)) {
			a->auto_published = 1;
			c->disclaimer_block = b;
		}
	}
	if (a->title != NULL)
		page_norm(a->title, strlen(a->title), &tn);

	keep = xcalloc(c->nparas + 1, 1);
	for (size_t i = 0; i < c->nparas; i++) {
		const struct page_para *p = &c->paras[i];

		keep[i] = 1;
		if (p->block != PEL_NONE && (p->block == c->byline_block ||
		    p->block == c->title_block)) {
			keep[i] = 0;
			continue;
		}
		if (p->len > 2400)
			continue;
		buf_reset(&nb);
		page_norm(p->s, p->len, &nb);
		if (p->len <= DISCLAIMER_MAX_CHARS * 3 && page_disclaimer(c->rules, nb.data)) {
			a->auto_published = 1;
			keep[i] = 0;
		} else if (p->len <= 300 && page_match_any(&c->rules->boilerplate, nb.data))
			keep[i] = 0;
		else if (tn.len > 0 && nb.len == tn.len && strcmp(nb.data, tn.data) == 0)
			keep[i] = 0;
		else if (p->len <= 100 && memchr_digit(p->s, p->len) && date_line(c, p))
			keep[i] = 0;
		else if (above_headline(c, p))
			keep[i] = 0;
	}
	/*
	 * A teaser ("... the Western military ...") or a summary that the
	 * full paragraph repeats: drop the earlier, shorter copy.
	 */
	for (size_t i = 0; i < c->nparas; i++) {
		const struct page_para *p = &c->paras[i];
		size_t stem = strip_ellipsis(p->s, p->len), seen = 0;

		if (!keep[i])
			continue;
		if (stem == 0)
			stem = p->len;
		if (stem < 20)
			continue;
		for (size_t j = i + 1; j < c->nparas && seen < TEASER_WINDOW; j++) {
			if (!keep[j])
				continue;
			seen++;
			if (c->paras[j].len >= stem && memcmp(c->paras[j].s, p->s, stem) == 0) {
				keep[i] = 0;
				break;
			}
		}
	}
	for (size_t i = 0; i < c->nparas; i++)
		if (keep[i])
			c->paras[k++] = c->paras[i];
	c->nparas = k;
	free(keep);
	buf_free(&nb);
	buf_free(&tn);
}

/* The text is inside an <article> that also holds the headline's h1. */
static int
headline_article(const struct page_ctx *c)
{
	const struct pdom *d = &c->d;

	if (c->title_el == PEL_NONE || c->nroots == 0)
		return 0;
	for (uint32_t p = d->el[c->title_el].parent; p != PEL_NONE; p = d->el[p].parent)
		if (d->el[p].tag == T_ARTICLE)
			return c->roots[0] >= p && c->roots[0] <= d->el[p].end;
	return 0;
}

void
page_finish(struct page_ctx *c, struct page_article *a)
{
	const struct page_overrides *o = c->opts->overrides;
	struct buf b;
	size_t chars = 0;
	int article_meta;
	const char *ogtype = page_meta(c, "og:type");

	buf_init(&b);
	for (size_t i = 0; i < c->nparas; i++) {
		/* NOTE: the body stops at the paragraph that would pass the bound. */
		if (b.len + 2 + c->paras[i].len > PAGE_MAX_TEXT)
			break;
		if (b.len > 0)
			buf_puts(&b, "\n\n");
		buf_append(&b, c->paras[i].s, c->paras[i].len);
	}
	for (size_t i = 0; i < b.len; i++)
		chars += ((unsigned char)b.data[i] & 0xC0) != 0x80;
	/*
	 * NOTE: what counts as "an article is here".  A page that says it is
	 * one (JSON-LD article, og:type article, microdata articleBody, an
	 * override) needs only some text: a paywalled teaser is the article
	 * as far as the page goes.  Otherwise the text must be long enough
	 * and not mostly links, which is what index pages are made of.
	 */
	article_meta = c->ld.article || (ogtype != NULL && strcasecmp(ogtype, "article") == 0) ||
	    c->d.ip_body != PEL_NONE || (o != NULL && o->body != NULL) ||
	    headline_article(c);
	if (article_meta)
		a->found = chars >= 40;
	else
		a->found = chars >= 200 && c->root_link_density <= 0.33;
	if (ogtype != NULL && strcasecmp(ogtype, "website") == 0 && !c->ld.article &&
	    c->d.ip_body == PEL_NONE && c->root_link_density > 0.2)
		a->found = 0;
	if (a->found) {
		a->body = buf_steal(&b);
		a->related = c->links;
		a->nrelated = c->nlinks;
	} else {
		buf_free(&b);
		for (size_t i = 0; i < c->nlinks; i++) {
			free(c->links[i].url);
			free(c->links[i].title);
			free(c->links[i].category);
		}
		free(c->links);
		free(a->byline);
		free(a->agency);
		free(a->dateline);
		a->byline = a->agency = a->dateline = NULL;
		a->auto_published = 0;
	}
	c->links = NULL;
	c->nlinks = 0;
}
