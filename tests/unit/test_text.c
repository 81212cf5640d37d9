/*
 * test_text.c: text.h (text_from_html, utf8_*, text_fold, html_sanitize).
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "text.h"

/* Runs f on a NUL-terminated literal and compares, freeing the result. */
#define T(f, in, want, ...) do {                                               \
		char *got_ = f(in, strlen(in));                                \
		is_str(got_, want, __VA_ARGS__);                               \
		free(got_);                                                    \
	} while (0)

#define S(in, base, want, ...) do {                                            \
		char *got_ = html_sanitize(in, strlen(in), base);              \
		is_str(got_, want, __VA_ARGS__);                               \
		free(got_);                                                    \
	} while (0)

static void
test_utf8(void)
{
	char *r;

	ok(utf8_valid("", 0), "empty is valid");
	ok(utf8_valid("caf\xc3\xa9 \xe2\x82\xb9 \xf0\x9f\x98\x80", 14), "2-, 3-, 4-byte valid");
	ok(!utf8_valid("\xc0\xaf", 2), "overlong 2-byte rejected");
	ok(!utf8_valid("\xe0\x80\xaf", 3), "overlong 3-byte rejected");
	ok(!utf8_valid("\xed\xa0\x80", 3), "surrogate rejected");
	ok(!utf8_valid("\xf4\x90\x80\x80", 4), "above U+10FFFF rejected");
	ok(!utf8_valid("\xe2\x82", 2), "truncated sequence rejected");
	ok(!utf8_valid("\x80", 1), "lone continuation rejected");
	ok(utf8_valid("a\0b", 3), "NUL is valid UTF-8");

	r = utf8_repair("a\xe2\x82z", 4);
	is_str(r, "a\xef\xbf\xbdz", "truncated 3-byte sequence is one U+FFFD");
	free(r);
	r = utf8_repair("\xff\xfe", 2);
	is_str(r, "\xef\xbf\xbd\xef\xbf\xbd", "each invalid byte is one U+FFFD");
	free(r);
	r = utf8_repair("caf\xe9!", 5);
	is_str(r, "caf\xef\xbf\xbd!", "latin-1 byte repaired");
	free(r);
	r = utf8_repair("ok \xe2\x82\xb9", 6);
	is_str(r, "ok \xe2\x82\xb9", "valid input unchanged");
	free(r);
}

static void
test_entities(void)
{
	T(text_line_from_html, "Tom &amp; Jerry", "Tom & Jerry", "&amp;");
	T(text_line_from_html, "&lt;b&gt; is bold", "<b> is bold", "&lt; &gt; decoded, not a tag");
	T(text_line_from_html, "it&rsquo;s &ldquo;x&rdquo; &mdash; y&hellip;",
	    "it\xe2\x80\x99s \xe2\x80\x9cx\xe2\x80\x9d \xe2\x80\x94 y\xe2\x80\xa6",
	    "common named entities");
	T(text_line_from_html, "&eacute;t&eacute; &Eacute;", "\xc3\xa9t\xc3\xa9 \xc3\x89",
	    "named entities are case-sensitive");
	T(text_line_from_html, "&hearts;&euro;&trade;", "\xe2\x99\xa5\xe2\x82\xac\xe2\x84\xa2",
	    "less common entities from libxml2's table");
	T(text_line_from_html, "Tom &amp Jerry", "Tom & Jerry", "&amp without ';'");
	T(text_line_from_html, "a&nbspb", "a&nbspb", "legacy name glued to a word is text");
	T(text_line_from_html, "x &nbsp y", "x y", "&nbsp without ';' folds");
	T(text_line_from_html, "&copy 2024", "\xc2\xa9 2024", "&copy without ';'");
	T(text_line_from_html, "&rsquo x", "&rsquo x", "non-legacy name needs ';'");
	T(text_line_from_html, "&bogus; AT&T &", "&bogus; AT&T &", "unknown names and bare & are text");
	T(text_line_from_html, "&#8377; &#x20B9; &#X20b9", "\xe2\x82\xb9 \xe2\x82\xb9 \xe2\x82\xb9",
	    "decimal, hex, upper X, no ';'");
	T(text_line_from_html, "a&#0;b", "a\xef\xbf\xbd" "b", "&#0; is U+FFFD");
	T(text_line_from_html, "&#xD800;", "\xef\xbf\xbd", "surrogate is U+FFFD");
	T(text_line_from_html, "&#x110000;", "\xef\xbf\xbd", "above U+10FFFF is U+FFFD");
	T(text_line_from_html, "&#99999999999999999999;", "\xef\xbf\xbd", "huge value is U+FFFD");
	T(text_line_from_html, "&#128;&#150;&#x92;", "\xe2\x82\xac\xe2\x80\x93\xe2\x80\x99",
	    "128-159 remapped as windows-1252");
	T(text_line_from_html, "a&#x81;b", "ab", "undefined C1 dropped");
	T(text_line_from_html, "a&#1;b&#x7f;c", "abc", "control references dropped");
	T(text_line_from_html, "&#; &#x; &#a;", "&#; &#x; &#a;", "references without digits are text");
	T(text_line_from_html, "&#65;&#x42;", "AB", "ASCII references");
	T(text_line_from_html, "&amp;amp;", "&amp;", "decoded once only");
}

static void
test_whitespace(void)
{
	char *r;

	T(text_line_from_html, "  a \t\n b  ", "a b", "folded and trimmed");
	T(text_line_from_html, "a&nbsp;&nbsp;b\xc2\xa0" "c\xe2\x80\x83" "d\xe3\x80\x80" "e",
	    "a b c d e", "NBSP and Unicode spaces fold");
	T(text_line_from_html, "a&#9;&#10;&#13;b", "a b", "whitespace references fold");
	T(text_line_from_html, "", "", "empty input");
	T(text_line_from_html, " \n <p> </p> ", "", "only whitespace and tags");
	r = text_line_from_html("a\x01" "b\x1f" "c\0d\x7f", 8);
	is_str(r, "abcd", "controls, DEL and NUL dropped");
	free(r);
	T(text_fold, "  one\n\ntwo \t three ", "one two three", "text_fold");
	T(text_fold, "a &amp; <b>", "a &amp; <b>", "text_fold does not touch markup");
	T(text_fold, "x\xffy", "x\xef\xbf\xbdy", "text_fold repairs UTF-8");
	T(text_fold, "\xef\xbb\xbfhi", "hi", "stray BOM dropped");
}

static void
test_paragraphs(void)
{
	T(text_from_html, "<p>One</p><p>Two</p>", "One\n\nTwo", "paragraphs");
	T(text_from_html, "<p>One<br>two<br/><br />three</p>", "One\n\ntwo\n\nthree",
	    "br ends a paragraph, runs collapse");
	T(text_from_html, "<div><p>A</p>\n\n<p>\n B \n</p></div>", "A\n\nB",
	    "blank lines between blocks become one");
	T(text_from_html, "a<b>b</b>c <i>d</i>", "abc d", "inline tags do not separate");
	T(text_from_html, "<ul><li>x</li><li>y</li></ul>", "x\n\ny", "list items");
	T(text_from_html, "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>",
	    "a b\n\nc", "cells are spaces, rows paragraphs");
	T(text_from_html, "<h2>Head</h2>Body", "Head\n\nBody", "heading");
	T(text_line_from_html, "<p>One</p><p>Two</p>", "One Two", "one line");
	T(text_from_html, "Line one\nline two", "Line one line two", "newlines in text fold");
}

static void
test_markup(void)
{
	T(text_from_html, "a<script>x<p>y</p></script>b", "ab", "script content dropped");
	T(text_from_html, "a<script>if (a<b && c>d) x='</p>'</script>b", "ab",
	    "script is raw text");
	T(text_from_html, "a<SCRIPT type=x>z</ScRiPt >b", "ab", "script end tag case-insensitive");
	T(text_from_html, "a<style>p{}</style>b<template><p>t</p></template>c", "abc",
	    "style and template dropped");
	T(text_from_html, "<noscript>enable js</noscript>ok", "ok", "noscript dropped");
	T(text_from_html, "<head><title>T</title><meta x=y></head><body>B</body>", "B",
	    "head dropped");
	T(text_from_html, "<svg><text>s</text><svg></svg></svg>v", "v", "svg nesting");
	T(text_from_html, "a<script src=x.js/>b", "ab", "self-closed script does not swallow");
	T(text_from_html, "a<script>never closed", "a", "unclosed script drops the rest");
	T(text_from_html, "a<!-- c -->b<!---->c<!-->d", "abcd", "comments");
	T(text_from_html, "a<!DOCTYPE html>b<?php x ?>c", "abc", "doctype and PI");
	T(text_from_html, "a<![CDATA[<b>x&amp;</b><p>y]]>b", "ax&\n\nyb",
	    "double-wrapped CDATA is read as HTML");
	T(text_from_html, "<![CDATA[<![CDATA[<p>]]>x", "<p>x",
	    "CDATA nests once, an inner one is literal text");
	T(text_from_html, "1 < 2 and 3 <= 4, a<-b", "1 < 2 and 3 <= 4, a<-b",
	    "'<' not followed by a letter is text");
	T(text_from_html, "x</ y>z</>w", "xzw", "bogus end tags");
	T(text_from_html, "<a href=\"x>y\" title='>'>link</a>", "link", "'>' inside quoted attributes");
	T(text_from_html, "<img alt=\"x\" src=a.jpg>text", "text", "img has no text");
	T(text_from_html, "<p class=unterminated", "", "tag cut by the end of input");
	T(text_from_html, "caf\xe9 ok", "caf\xef\xbf\xbd ok", "invalid UTF-8 repaired");
	T(text_from_html, "\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87",
	    "\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87",
	    "Devanagari passes through");
	T(text_from_html, "&lt;p&gt;escaped&lt;/p&gt;", "<p>escaped</p>",
	    "escaped markup is decoded once, not parsed");
}

static void
test_sanitize(void)
{
	const char *base = "https://example.com/news/item.html";

	S("<p>Hello <b>world</b></p>", NULL, "<p>Hello <b>world</b></p>", "kept as is");
	S("Hello <i>x</i>", NULL, "<p>Hello <i>x</i></p>", "leading text gets a paragraph");
	S("<p>a<script>alert(1)</script>b</p>", NULL, "<p>ab</p>", "script dropped");
	S("<style>p{}</style><p>x</p>", NULL, "<p>x</p>", "style dropped");
	S("<p onclick=\"alert(1)\" class=c id=i style=\"x\">t</p>", NULL, "<p>t</p>",
	    "event handlers and other attributes dropped");
	S("<a href=\"javascript:alert(1)\">x</a>", base, "x", "javascript: link unwrapped");
	S("<a href=\" JaVaScRiPt:alert(1)\">x</a>", base, "x", "case and spaces do not hide it");
	S("<a href=\"java&#x09;script:alert(1)\">x</a>", base, "x", "tab inside the scheme");
	S("<a href=\"vbscript:x\">v</a><img src=\"data:image/png;base64,AAAA\">", base, "v",
	    "vbscript: and data: dropped");
	S("<img src=x onerror=\"alert(1)\" alt=\"a &quot;b&quot;\">", base,
	    "<img src=\"https://example.com/news/x\" alt=\"a &quot;b&quot;\">",
	    "onerror dropped, src resolved, alt escaped");
	S("<a href=\"../a?b=1&amp;c=2\" title=T>r</a>", base,
	    "<a href=\"https://example.com/a?b=1&amp;c=2\" title=\"T\">r</a>",
	    "relative href resolved and escaped");
	S("<a href=\"/x\">r</a>", NULL, "<a href=\"/x\">r</a>", "relative href kept without a base");
	S("<a href=\"mailto:a@b.c\">m</a><img src=\"mailto:a@b.c\">", base,
	    "<a href=\"mailto:a@b.c\">m</a>", "mailto only for links");
	S("<iframe src=\"https://evil\"></iframe><object><p>o</p></object><embed src=x>"
	    "<form><input name=q><button>go</button></form>k", base, "k",
	    "iframe, object, embed, form dropped");
	S("<p>1 &lt; 2 &amp; 3 &gt; 2</p>", NULL, "<p>1 &lt; 2 &amp; 3 &gt; 2</p>", "text escaped");
	S("<p>it&rsquo;s&nbsp;x</p>", NULL, "<p>it\xe2\x80\x99s\xc2\xa0x</p>", "entities as UTF-8");
	S("<p>a<br/>b<br>c<hr></p>", NULL, "<p>a<br>b<br>c</p><hr>", "void elements");
	S("<table><tr><td><table><tr><td>in</td><td></td></tr></table></td></tr></table>", NULL,
	    "<table><tr><td><table><tr><td>in</td><td></td></tr></table></td></tr></table>",
	    "nested tables");
	S("<td colspan=2 rowspan=x>c</td>", NULL, "<td colspan=\"2\">c</td>", "numeric span only");
	S("<div class=ad></div><p> </p><span>s</span><font color=red>f</font>", NULL,
	    "sf", "empty elements removed, span and font unwrapped");
	S("<p>a</p><embed src=x><p>b</p><video><source src=v>no video</video><p>c</p>", NULL,
	    "<p>a</p><p>b</p><p>c</p>", "void embed and source do not swallow what follows");
	S("<figure><img src=\"https://x/a.jpg\" alt=\"A\" width=\"1200\" height=\"675\"/>"
	    "<figcaption>Cap</figcaption></figure>", NULL,
	    "<figure><img src=\"https://x/a.jpg\" alt=\"A\" width=\"1200\" height=\"675\">"
	    "<figcaption>Cap</figcaption></figure>", "figure with image");
	S("<blockquote cite=\"javascript:x\">q</blockquote>", base, "<blockquote>q</blockquote>",
	    "bad cite dropped, element kept");
	S("", NULL, "", "empty input");
	S("<script>only</script>", NULL, "", "nothing left");
	S("a\xffz", NULL, "<p>a\xef\xbf\xbdz</p>", "invalid UTF-8 repaired");
	S("<meta charset=\"iso-8859-1\"><p>caf\xc3\xa9</p>", NULL, "<p>caf\xc3\xa9</p>",
	    "meta charset ignored");
	S("<p>x</p><!-- c -->", NULL, "<p>x</p>", "comments dropped");
	S("<![CDATA[<p>y</p>]]>", NULL, "<p>y</p>", "double-wrapped CDATA is HTML");
}

static void
test_long(void)
{
	size_t n = 1 << 20, i;
	char *in = malloc(n * 4 + 1), *out;

	for (i = 0; i < n; i++)
		memcpy(in + 4 * i, "<b>x", 4);
	in[4 * n] = '\0';
	out = text_line_from_html(in, 4 * n);
	is_int(strlen(out), n, "1M tags scanned");
	free(out);
	for (i = 0; i < n; i++)
		memcpy(in + 4 * i, "<div", 4);
	out = html_sanitize(in, 4 * n, NULL);
	ok(out != NULL, "1M unclosed divs sanitized without crash");
	free(out);
	free(in);
}

int
main(void)
{
	test_utf8();
	test_entities();
	test_whitespace();
	test_paragraphs();
	test_markup();
	test_sanitize();
	test_long();
	return tap_done();
}
