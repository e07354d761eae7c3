/*
 * transfer.c — the graph copy behind push, pull and copy (transfer.h).
 */
#include "cmd/transfer.h"
#include "cmd/cmd.h"
#include "cmd/jsonout.h"
#include "cmd/regopts.h"

#include <stdio.h>

int transfer_parse(struct transfer *t, const struct cmd_def *spec, int argc, char **argv)
{
	int c;

	while ((c = cmd_parse(spec, argc, argv, &t->opts)) != -1) {
		if (c == CMD_OPT_HELP)
			return XP_EXIT_OK;
		if (c == TRANSFER_FORCE)
			t->force = 1;
		else if (c == JSONOUT_VAL)
			t->json = 1;
		else if (c == 'o')
			t->output = optarg;
		else if (c == 'k')
			t->sign_key = optarg;
		else if (c == 'P')
			t->pass_stdin = 1;
		else
			return XP_EXIT_USAGE;
	}
	return -1;
}

int transfer_source(struct transfer *t, const struct xp_ref *ref)
{
	struct xp_error err;

	xp_error_clear(&err);
	regopt_prepare();
	t->opts.progress = cmd_progress();
	if (store_open(ref, &t->opts, &t->src, &err) ||
	    store_resolve_ref(t->src, ref, &t->desc, &err))
		return cmd_fail(&err);
	return XP_EXIT_OK;
}

int transfer_copy(struct transfer *t, const struct xp_ref *dst, const char *tag)
{
	struct store_opts opts = t->opts;
	struct copy_stats *st = &t->stats;
	struct copy_opts co = {0};
	struct store *s = NULL;
	struct xp_error err;
	int ret = XP_EXIT_OK;

	xp_error_clear(&err);
	if (ref_archive_tag_caveat(dst, tag))
		diag_warning("tag '%s': %s", tag, ref_archive_tag_caveat(dst, tag));
	co.jobs = opts.jobs;
	co.stats = st;
	co.keep_tag = !t->force;
	if (t->sign) {
		co.before_tag = sign_on_copy_hook;
		co.before_tag_ctx = t->sign;
	}
	opts.create = 1;
	if (store_open(dst, &opts, &s, &err) || copy_graph(t->src, s, &t->desc, tag, &co, &err) ||
	    store_commit(s, &err)) {
		if (err.cls == XP_ERR_REFUSED) {
			diag_error("%s: not moved without --force (a champion tag moves with 'xpship promote')",
				   err.msg);
			ret = XP_EXIT_NO;
		} else {
			ret = cmd_fail(&err);
		}
	} else {
		diag_verbose("%s %u blobs (%llu bytes), %u already there, %u mounted; %u manifests, %u signatures/attestations",
			     t->verb, st->blobs_copied, (unsigned long long)st->bytes,
			     st->blobs_present, st->blobs_mounted, st->manifests, st->companions);
	}
	store_close(s);
	return ret;
}

int transfer_print(struct transfer *t, const char *shown, const char *source,
		   const char *destination, const char *tag)
{
	const struct copy_stats *st = &t->stats;
	json_t *o;

	if (!t->json) {
		printf("%s\n", shown);
		return XP_EXIT_OK;
	}
	o = jsonout_new(t->cmd);
	json_object_set_new(o, "reference", json_string(shown));
	json_object_set_new(o, "digest", json_string(t->desc.digest));
	json_object_set_new(o, "mediaType", json_string(t->desc.media_type));
	json_object_set_new(o, "size", json_integer(t->desc.size));
	json_object_set_new(o, "tag", jsonout_str(tag));
	json_object_set_new(o, "source", json_string(source));
	json_object_set_new(o, "destination", json_string(destination));
	json_object_set_new(o, "blobs", json_pack("{s:I, s:I, s:I, s:I}",
						  "copied", (json_int_t)st->blobs_copied,
						  "present", (json_int_t)st->blobs_present,
						  "mounted", (json_int_t)st->blobs_mounted,
						  "bytes", (json_int_t)st->bytes));
	json_object_set_new(o, "manifests", json_integer(st->manifests));
	json_object_set_new(o, "companions", json_integer(st->companions));
	return jsonout_print(o);
}

void transfer_release(struct transfer *t)
{
	store_close(t->src);
	t->src = NULL;
	oci_desc_release(&t->desc);
}
