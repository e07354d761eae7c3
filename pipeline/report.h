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
