/*
 * feedxml.h: the values of feed elements, read from libxml2 nodes
 * (feed.c's helper).  Every string returned is malloc'd, valid UTF-8 and
 * bounded by bounds.h; NULL stands for absent or empty.
 */
#ifndef DATELINE_FEEDXML_H
#define DATELINE_FEEDXML_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "feed.h"

/* Cuts s (owned) to at most max bytes on a UTF-8 boundary; NULL for "". */
char *feedxml_bound(char *s, size_t max);

/* Trims ASCII whitespace from s in place and returns s. */
char *feedxml_trim(char *s);

/* The value of node's attribute name (no namespace), for xmlFree, or NULL. */
char *feedxml_attr(xmlNodePtr node, const char *name);

/*
 * The text of node's subtree, at most max bytes, never NULL.  Entities
 * are never substituted; a plain-text internal entity and an undeclared
 * HTML entity name are read, anything else left out.
 */
char *feedxml_text(xmlNodePtr node, size_t max);

/*
 * ref resolved against the base URI of node (its xml:base chain over
 * opts->base_url); NULL unless the result is an http(s) URL.
 */
char *feedxml_link(const struct feed_parse_opts *opts, xmlNodePtr node,
    const char *ref);

/* The date in node (zone-less times in opts->default_tz), or DATE_UNSET. */
int64_t feedxml_date(const struct feed_parse_opts *opts, xmlNodePtr node);

/*
 * Plain text of node: HTML text for RSS (atom = 0), or by the Atom type
 * attribute (text, html, xhtml) for Atom; one line when oneline is set.
 */
char *feedxml_plain(xmlNodePtr node, int atom, int oneline);

/*
 * Sanitized HTML of a content element (RSS content:encoded when atom = 0,
 * Atom content by its type), links resolved against node's base.
 */
char *feedxml_content(const struct feed_parse_opts *opts, xmlNodePtr node,
    int atom);

#endif
