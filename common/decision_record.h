/*
 * decision_record.h — the keys of the gate decision record (docs/gate.md) that
 * other steps read: pipeline/decision.c writes the record with these names,
 * pack, attest and verify read it back through decision_verdict() and
 * decision_policy(). A key is spelled here once.
 */
#ifndef XPSHIP_COMMON_DECISION_RECORD_H
#define XPSHIP_COMMON_DECISION_RECORD_H

#include <jansson.h>

#define DECISION_KEY_VERDICT "verdict"
#define DECISION_KEY_POLICY  "policy"
#define DECISION_KEY_PATH    "path"
#define DECISION_KEY_DIGEST  "digest"
#define DECISION_KEY_CHAMPION "champion"
#define DECISION_KEY_REFERENCE "reference"
#define DECISION_PASS        "pass"
#define DECISION_FAIL        "fail"
/* Every failed check covered by a valid waiver, none failed otherwise. */
#define DECISION_PASS_WITH_WAIVERS "pass-with-waivers"
#define DECISION_KEY_WAIVERS "waivers"

/* The record's verdict, "pass", "fail" or "pass-with-waivers" (borrowed from
 * root), or NULL when root is not an object with one of those. */
const char *decision_verdict(const json_t *root);

/* 1 when v is one of the three verdicts. */
int decision_verdict_valid(const char *v);

/* The policy's digest and path as recorded (borrowed; NULL when absent or not
 * strings). */
void decision_policy(const json_t *root, const char **digest, const char **path);

/* The champion the gate compared against: 0 when the record names none
 * (a metrics-file baseline, or no baseline); 1 with *digest the champion's
 * manifest digest, or NULL when no champion was found there (a first
 * release); *ref (optional) its reference. Borrowed from root. */
int decision_champion(const json_t *root, const char **ref, const char **digest);

#endif
