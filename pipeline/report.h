/*
 * report.h — a gate decision rendered for people and for CI systems, all from
 * the same struct gate_decision (the JSON record itself is gate_decision_json).
 *
 * Every function appends to a strbuf; cmd/ decides where it goes (stdout, a
 * file, $GITHUB_STEP_SUMMARY, $GITHUB_OUTPUT).
 */
#ifndef XPSHIP_PIPELINE_REPORT_H
#define XPSHIP_PIPELINE_REPORT_H

#include "common/strbuf.h"
#include "pipeline/gate.h"

/* Sources, an aligned table (rule, check, candidate, baseline, threshold,
 * outcome), one line per check that did not pass, and the verdict line. */
void report_text(const struct gate_decision *d, struct strbuf *out);
/* GitHub-flavoured Markdown: verdict first, then the table and the messages. */
void report_markdown(const struct gate_decision *d, struct strbuf *out);
/* The metrics shown per group, in this order, where present. */
extern const char *const report_group_metrics[];
/* Per-group tables of flat metrics as `evaluate` writes them: for each group
 * column (by_group.<column>.<value>.rows; the column is the key up to its
 * first '.'), a Markdown table of the groups (flagged small) and the
 * report_group_metrics they have, then the column's fairness.* disparities as
 * a list. Nothing when there are no groups. */
void report_groups_markdown(const struct metrics *m, struct strbuf *out);
/* JUnit XML as Jenkins' junit step reads it: one testcase per check; fail is a
 * <failure>, skip a <skipped>, warn a passing case with the warning in
 * <system-out>. */
void report_junit(const struct gate_decision *d, struct strbuf *out);
/* GitHub workflow commands: ::error at the policy line of each failed check,
 * ::warning for each warned or waived one, and for each waiver not applied. */
void report_github_annotations(const struct gate_decision *d, struct strbuf *out);
/* GitHub step outputs: "verdict=pass|fail" and "failed=<n>" lines. */
void report_github_outputs(const struct gate_decision *d, struct strbuf *out);

#endif
