/*
 * transfer.c — the graph copy behind push, pull and copy (transfer.h).
 */
#include "cmd/transfer.h"
#include "cmd/cmd.h"
#include "cmd/regopts.h"
#include "packager/copy.h"

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
	struct copy_stats st = {0};
	struct copy_opts co = {0};
	struct store *s = NULL;
	struct xp_error err;
	int ret = XP_EXIT_OK;

	xp_error_clear(&err);
	if (ref_archive_tag_caveat(dst, tag))
		diag_warning("tag '%s': %s", tag, ref_archive_tag_caveat(dst, tag));
	co.jobs = opts.jobs;
	co.stats = &st;
	if (t->sign) {
		co.before_tag = sign_on_copy_hook;
		co.before_tag_ctx = t->sign;
	}
	opts.create = 1;
	if (store_open(dst, &opts, &s, &err) || copy_graph(t->src, s, &t->desc, tag, &co, &err) ||
	    store_commit(s, &err))
		ret = cmd_fail(&err);
	else
		diag_verbose("%s %u blobs (%llu bytes), %u already there, %u mounted; %u manifests, %u signatures/attestations",
			     t->verb, st.blobs_copied, (unsigned long long)st.bytes,
			     st.blobs_present, st.blobs_mounted, st.manifests, st.companions);
	store_close(s);
	return ret;
}

void transfer_release(struct transfer *t)
{
	store_close(t->src);
	t->src = NULL;
	oci_desc_release(&t->desc);
}
