/* test_diag.c — GitHub workflow-command escaping (common/diag.c). */
#include "tests/unit/test_common.h"
#include "common/diag.h"

static void escapes(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	diag_github_escape(&sb, "50% a:b,c\r\nd", 0);
	assert_string_equal(sb.buf, "50%25 a:b,c%0D%0Ad");
	strbuf_reset(&sb);
	diag_github_escape(&sb, "50% a:b,c\r\nd", 1);
	assert_string_equal(sb.buf, "50%25 a%3Ab%2Cc%0D%0Ad");
	strbuf_release(&sb);
}

static void annotations(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	diag_github_annotation(&sb, DIAG_ERROR, "dir,x/e.yaml", 12, 7, NULL, "unknown key 'lr'");
	assert_string_equal(sb.buf, "::error file=dir%2Cx/e.yaml,line=12,col=7::unknown key 'lr'");
	strbuf_reset(&sb);
	diag_github_annotation(&sb, DIAG_WARNING, "p.yaml", 3, 0, "gate: f1", "50% worse");
	assert_string_equal(sb.buf, "::warning file=p.yaml,line=3,title=gate%3A f1::50%25 worse");
	strbuf_reset(&sb);
	diag_github_annotation(&sb, DIAG_NOTE, NULL, 0, 0, NULL, "a\nb");
	assert_string_equal(sb.buf, "::notice::a%0Ab");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes),
		cmocka_unit_test(annotations),
	};
	return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
