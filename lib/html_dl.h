/* libxml2, loaded when the first HTML report is made rather than by the
 * dynamic loader at start-up: with ICU, liblzma and libstdc++ it cost
 * every process ~3.5 ms before main, HTML reports or not.
 *
 * Its header still gives the types; each function the HTML writer calls
 * is a pointer in regdiff__html_api, filled by dlsym, and the macros
 * below keep the call sites spelled as libxml2 spells them (on Windows,
 * where libxml2 is linked as before, they call it directly). Include this header, never
 * <libxml/xmlwriter.h> alone: a direct call would bring the DT_NEEDED
 * entry back (tests/html/nolib.sh checks it is gone). */
#ifndef REGDIFF_HTML_DL_H
#define REGDIFF_HTML_DL_H

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

#define REGDIFF__XML_FUNCS(X)                                                                      \
	X(xmlFreeTextWriter)                                                                       \
	X(xmlInitParser)                                                                           \
	X(xmlNewTextWriter)                                                                        \
	X(xmlOutputBufferClose)                                                                    \
	X(xmlOutputBufferCreateIO)                                                                 \
	X(xmlTextWriterEndElement)                                                                 \
	X(xmlTextWriterFlush)                                                                      \
	X(xmlTextWriterFullEndElement)                                                             \
	X(xmlTextWriterStartElement)                                                               \
	X(xmlTextWriterWriteAttribute)                                                             \
	X(xmlTextWriterWriteRaw)                                                                   \
	X(xmlTextWriterWriteString)

#define REGDIFF__XML_MEMBER(f) __typeof__(f) *f;
typedef struct regdiff__html_api {
	REGDIFF__XML_FUNCS(REGDIFF__XML_MEMBER)
} regdiff__html_api;
#undef REGDIFF__XML_MEMBER

/* Filled by regdiff__html_load (declared in report_internal.h, which
 * needs no libxml2 header); read-only after that. */
extern regdiff__html_api regdiff__html_fn;

/* Not in lib/html_dl.c, which names the functions themselves. */
#if !defined(REGDIFF__HTML_DL_LOADER) && !defined(_WIN32)
#define xmlFreeTextWriter regdiff__html_fn.xmlFreeTextWriter
#define xmlInitParser regdiff__html_fn.xmlInitParser
#define xmlNewTextWriter regdiff__html_fn.xmlNewTextWriter
#define xmlOutputBufferClose regdiff__html_fn.xmlOutputBufferClose
#define xmlOutputBufferCreateIO regdiff__html_fn.xmlOutputBufferCreateIO
#define xmlTextWriterEndElement regdiff__html_fn.xmlTextWriterEndElement
#define xmlTextWriterFlush regdiff__html_fn.xmlTextWriterFlush
#define xmlTextWriterFullEndElement regdiff__html_fn.xmlTextWriterFullEndElement
#define xmlTextWriterStartElement regdiff__html_fn.xmlTextWriterStartElement
#define xmlTextWriterWriteAttribute regdiff__html_fn.xmlTextWriterWriteAttribute
#define xmlTextWriterWriteRaw regdiff__html_fn.xmlTextWriterWriteRaw
#define xmlTextWriterWriteString regdiff__html_fn.xmlTextWriterWriteString
#endif

#endif
