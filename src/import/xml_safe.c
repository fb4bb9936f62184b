/* Reading untrusted XML (DOCX, XLSX parts) safely and quietly, shared by the document extractor and the
 * spreadsheet reader: no network, no entity substitution, no external DTD, and no libxml2 chatter on stderr. */
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <limits.h>
#include <pthread.h>
#include "import/extract_internal.h"

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_init(void)
{
    xmlInitParser(); /* libxml2 wants this once before parsing from several threads */
}

static void xml_quiet(void *arg, const char *msg, xmlParserSeverities severity, xmlTextReaderLocatorPtr locator)
{
    (void)arg, (void)msg, (void)severity, (void)locator; /* a broken upload is reported by status, not on stderr */
}

static void xml_quiet_generic(void *ctx, const char *msg, ...)
{
    (void)ctx, (void)msg;
}

/* Encoding errors ("input conversion failed") bypass the reader's handler and go to libxml2's generic handler,
 * which prints to stderr: anyone could fill the server log by uploading bad DOCX files. The generic handler is
 * per thread in libxml2, so it is swapped for the parse and put back after, leaving no trace. */
struct xml_quiet_saved xml_quiet_begin(void)
{
    pthread_once(&xml_once, xml_init); /* first, so that initialisation cannot reset the handler set here */
    struct xml_quiet_saved s = {xmlGenericError, xmlGenericErrorContext};
    xmlSetGenericErrorFunc(NULL, xml_quiet_generic);
    return s;
}

void xml_quiet_end(struct xml_quiet_saved s)
{
    xmlSetGenericErrorFunc(s.ctx, s.func);
}

/* No XML_PARSE_NOENT (entities are not substituted), no DTDLOAD (no external DTD), NONET: together with refusing
 * any DOCTYPE in walk loops this is what keeps XXE and billion-laughs out. No XML_PARSE_HUGE: keep the depth and
 * text-node limits. */
xmlTextReaderPtr xml_open_reader(const char *xml, size_t len)
{
    pthread_once(&xml_once, xml_init);
    if (len > INT_MAX)
        return NULL;
    xmlTextReaderPtr r = xmlReaderForMemory(xml, (int)len, NULL, NULL,
                                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (r)
        xmlTextReaderSetErrorHandler(r, xml_quiet, NULL);
    return r;
}
