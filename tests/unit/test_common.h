/* test_common.h — includes every cmocka unit test needs. */
#ifndef XPSHIP_TESTS_TEST_COMMON_H
#define XPSHIP_TESTS_TEST_COMMON_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#endif
