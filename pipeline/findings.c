/*
 * findings.c — collect, sort and serialise positioned findings (see findings.h).
 *
 * Both machine forms are built as jansson trees, so every string is escaped by
 * jansson; text that is not UTF-8 (a file name from the command line) has its
 * invalid bytes replaced by U+FFFD first, because JSON cannot carry it.
 */
#include "pipeline/findings.h"

#include "common/strbuf.h"
#include "common/utf8.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#define SARIF_SCHEMA \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

void findings_init(struct findings *f)
{
	memset(f, 0, sizeof(*f));
}

void findings_release(struct findings *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++) {
		free(f->items[i].file);
		free(f->items[i].msg);
	}
	free(f->items);
	findings_init(f);
}

void findings_add(struct findings *f, enum finding_sev sev, const char *code,
		  const char *file, unsigned line, unsigned col, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	struct finding *it;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (f->n == f->cap_) {
		f->cap_ = f->cap_ ? 2 * f->cap_ : 16;
		f->items = xrealloc(f->items, f->cap_ * sizeof(*f->items));
	}
	it = &f->items[f->n];
	it->sev = sev;
	it->code = code;
	it->file = xstrdup(file ? file : "");
	it->line = line;
	it->col = col;
	it->msg = strbuf_detach(&sb, NULL);
	it->seq_ = f->n++;
}

static const char *sort_first;

static int cmp_finding(const void *pa, const void *pb)
{
	const struct finding *a = pa, *b = pb;
	int fa = strcmp(a->file, sort_first) == 0, fb = strcmp(b->file, sort_first) == 0;
	int c;

	if (fa != fb)
		return fa ? -1 : 1;
	c = strcmp(a->file, b->file);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq_ < b->seq_ ? -1 : a->seq_ > b->seq_;
}

void findings_sort(struct findings *f, const char *first_file)
{
	sort_first = first_file ? first_file : "";
	if (f->n > 1)
		qsort(f->items, f->n, sizeof(*f->items), cmp_finding);
	sort_first = NULL;
}

size_t findings_count(const struct findings *f, enum finding_sev sev)
{
	size_t i, n = 0;

	for (i = 0; i < f->n; i++)
		n += f->items[i].sev == sev;
	return n;
}

const char *finding_sev_name(enum finding_sev sev)
{
	return sev == FINDING_ERROR ? "error" : sev == FINDING_WARNING ? "warning" : "note";
}

/* A JSON string of s, invalid UTF-8 bytes replaced by U+FFFD. */
static json_t *jstr(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j = json_string(s);
	const char *p = s;

	if (j)
		return j;
	while (*p) {
		size_t n = utf8_seq_len(p);

		if (n) {
			strbuf_add(&sb, p, n);
			p += n;
		} else {
			strbuf_adds(&sb, "\xef\xbf\xbd");
			p++;
		}
	}
	j = json_string(sb.buf);
	strbuf_release(&sb);
	if (!j)
		abort(); /* only out of memory */
	return j;
}

static char *dump(json_t *root)
{
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	struct strbuf sb = STRBUF_INIT;

	json_decref(root);
	if (!text)
		abort(); /* only out of memory */
	strbuf_adds(&sb, text);
	strbuf_addc(&sb, '\n');
	free(text);
	return strbuf_detach(&sb, NULL);
}

char *findings_to_json(const struct findings *f, const char *file, const char *digest,
		       int valid)
{
	json_t *root = json_object(), *list = json_array();
	size_t i;

	json_object_set_new(root, "file", jstr(file));
	json_object_set_new(root, "digest", digest && *digest ? jstr(digest) : json_null());
	json_object_set_new(root, "valid", json_boolean(valid));
	json_object_set_new(root, "errors",
			    json_integer((json_int_t)findings_count(f, FINDING_ERROR)));
	json_object_set_new(root, "warnings",
			    json_integer((json_int_t)findings_count(f, FINDING_WARNING)));
	json_object_set_new(root, "notes",
			    json_integer((json_int_t)findings_count(f, FINDING_NOTE)));
	for (i = 0; i < f->n; i++) {
		const struct finding *it = &f->items[i];
		json_t *o = json_object();

		json_object_set_new(o, "file", jstr(it->file));
		json_object_set_new(o, "line", json_integer(it->line));
		json_object_set_new(o, "column", json_integer(it->col));
		json_object_set_new(o, "severity", json_string(finding_sev_name(it->sev)));
		json_object_set_new(o, "code", jstr(it->code));
		json_object_set_new(o, "message", jstr(it->msg));
		json_array_append_new(list, o);
	}
	json_object_set_new(root, "findings", list);
	return dump(root);
}

/* RFC 3986 path characters that need no escaping (':' is escaped so that a
 * relative reference never reads as a scheme). */
static int uri_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("-._~!$&'()*+,;=@/", c) != NULL;
}

char *findings_abs_path(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	char cwd[4096];
	const char *p = path;

	if (*p != '/' && getcwd(cwd, sizeof(cwd)))
		strbuf_adds(&sb, cwd);
	while (*p) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0)
			break;
		if (n == 1 && p[0] == '.') {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = strrchr(sb.buf, '/');

			if (slash) {
				sb.len = (size_t)(slash - sb.buf);
				sb.buf[sb.len] = '\0';
			}
		} else {
			strbuf_addc(&sb, '/');
			strbuf_add(&sb, p, n);
		}
		p += n;
	}
	if (!sb.len)
		strbuf_addc(&sb, '/');
	return strbuf_detach(&sb, NULL);
}

/* `path` relative to the directory `root` (absolute, normalised), or NULL when
 * it is not under it (borrowed from path). */
static const char *under_root(const char *path, const char *root)
{
	size_t n = strlen(root);

	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n == 1 && root[0] == '/')
		return path + 1;
	if (strncmp(path, root, n) != 0 || path[n] != '/')
		return NULL;
	return path + n + 1;
}

/* A file name as a URI reference: relative paths stay relative ("./" dropped),
 * absolute ones become file:// URIs; other bytes are percent-encoded. */
static char *path_to_uri(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)path;

	if (*p == '/')
		strbuf_adds(&sb, "file://");
	else
		while (p[0] == '.' && p[1] == '/')
			for (p += 2; *p == '/'; p++)
				;
	for (; *p; p++) {
		if (uri_plain(*p) && *p)
			strbuf_addc(&sb, (char)*p);
		else
			strbuf_addf(&sb, "%%%02X", *p);
	}
	return strbuf_detach(&sb, NULL);
}

static const char *sarif_level(enum finding_sev sev)
{
	return sev == FINDING_ERROR ? "error" : sev == FINDING_WARNING ? "warning" : "note";
}

/* "unknown-key" -> "UnknownKey": SARIF's friendly rule name */
static json_t *pascal_name(const char *id)
{
	struct strbuf sb = STRBUF_INIT;
	int up = 1;
	json_t *j;

	for (; *id; id++) {
		if (*id == '-' || *id == '_' || *id == '.') {
			up = 1;
			continue;
		}
		strbuf_addc(&sb, up && *id >= 'a' && *id <= 'z' ? (char)(*id - 'a' + 'A') : *id);
		up = 0;
	}
	j = jstr(sb.buf);
	strbuf_release(&sb);
	return j;
}

static json_t *sarif_rules(const struct finding_rule *rules, size_t n)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *r = json_object(), *d = json_object(), *cfg = json_object();
		json_t *full = json_object(), *help = json_object();

		json_object_set_new(r, "id", jstr(rules[i].code));
		json_object_set_new(r, "name", pascal_name(rules[i].code));
		json_object_set_new(d, "text", jstr(rules[i].summary));
		json_object_set_new(r, "shortDescription", d);
		json_object_set_new(full, "text", jstr(rules[i].summary));
		json_object_set_new(r, "fullDescription", full);
		json_object_set_new(help, "text", jstr(rules[i].help ? rules[i].help
								     : rules[i].summary));
		json_object_set_new(r, "help", help);
		json_object_set_new(cfg, "level", json_string(sarif_level(rules[i].sev)));
		json_object_set_new(r, "defaultConfiguration", cfg);
		json_array_append_new(list, r);
	}
	return list;
}

static json_t *sarif_location(const struct finding *it, const char *srcroot)
{
	json_t *loc = json_object(), *phys = json_object(), *art = json_object();
	json_t *region = json_object(), *locs = json_array();
	char *abs = srcroot ? findings_abs_path(it->file) : NULL;
	const char *rel = abs ? under_root(abs, srcroot) : NULL;
	char *uri = path_to_uri(rel ? rel : abs ? abs : it->file);

	json_object_set_new(art, "uri", jstr(uri));
	if (rel)
		json_object_set_new(art, "uriBaseId", json_string("%SRCROOT%"));
	free(uri);
	free(abs);
	json_object_set_new(phys, "artifactLocation", art);
	/* code scanning needs a line: a finding about a whole file points at 1:1 */
	json_object_set_new(region, "startLine", json_integer(it->line ? it->line : 1));
	json_object_set_new(region, "startColumn", json_integer(it->line && it->col ? it->col : 1));
	json_object_set_new(phys, "region", region);
	json_object_set_new(loc, "physicalLocation", phys);
	json_array_append_new(locs, loc);
	return locs;
}

char *findings_to_sarif(const struct findings *f, const struct finding_rule *rules,
			size_t n_rules, const char *tool, const char *version,
			const char *info_uri, const char *srcroot)
{
	json_t *root = json_object(), *runs = json_array(), *run = json_object();
	json_t *driver = json_object(), *toolo = json_object(), *results = json_array();
	size_t i, r;

	json_object_set_new(root, "$schema", json_string(SARIF_SCHEMA));
	json_object_set_new(root, "version", json_string("2.1.0"));
	json_object_set_new(driver, "name", jstr(tool));
	json_object_set_new(driver, "version", jstr(version));
	if (info_uri)
		json_object_set_new(driver, "informationUri", jstr(info_uri));
	json_object_set_new(driver, "rules", sarif_rules(rules, n_rules));
	json_object_set_new(toolo, "driver", driver);
	json_object_set_new(run, "tool", toolo);
	for (i = 0; i < f->n; i++) {
		const struct finding *it = &f->items[i];
		json_t *res = json_object(), *msg = json_object();

		json_object_set_new(res, "ruleId", jstr(it->code));
		for (r = 0; r < n_rules; r++)
			if (strcmp(rules[r].code, it->code) == 0)
				break;
		if (r < n_rules)
			json_object_set_new(res, "ruleIndex", json_integer((json_int_t)r));
		json_object_set_new(res, "level", json_string(sarif_level(it->sev)));
		json_object_set_new(msg, "text", jstr(it->msg));
		json_object_set_new(res, "message", msg);
		json_object_set_new(res, "locations", sarif_location(it, srcroot));
		json_array_append_new(results, res);
	}
	json_object_set_new(run, "results", results);
	if (srcroot) {
		json_t *bases = json_object(), *base = json_object();
		char *uri = path_to_uri(srcroot);
		struct strbuf dir = STRBUF_INIT;

		/* a base URI names a directory: it ends in '/' */
		strbuf_adds(&dir, uri);
		if (!dir.len || dir.buf[dir.len - 1] != '/')
			strbuf_addc(&dir, '/');
		json_object_set_new(base, "uri", jstr(dir.buf));
		strbuf_release(&dir);
		free(uri);
		json_object_set_new(bases, "%SRCROOT%", base);
		json_object_set_new(run, "originalUriBaseIds", bases);
	}
	json_object_set_new(run, "columnKind", json_string("unicodeCodePoints"));
	json_array_append_new(runs, run);
	json_object_set_new(root, "runs", runs);
	return dump(root);
}
