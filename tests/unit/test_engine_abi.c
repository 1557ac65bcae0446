/*
 * The library's version and the growth of its structures (docs/api.md,
 * "ABI policy"): the version the library reports is the header's, and a
 * reserved field a later version may give a meaning to is refused when
 * set, and zeroed when the library fills a structure.
 */
#include <stdio.h>
#include <string.h>

#include "helpers.h"

TEST_SUITE_FX(abi);

Test(abi, library_version_is_the_headers)
{
	char want[32];

	cr_assert_eq(sl_version(), SL_VERSION);
	cr_assert_eq(SL_VERSION, SL_VERSION_NUM(SL_VERSION_MAJOR, SL_VERSION_MINOR, SL_VERSION_PATCH));
	cr_assert_eq(sl_version() >> 16, (unsigned)SL_VERSION_MAJOR);
	snprintf(want, sizeof want, "%d.%d.%d", SL_VERSION_MAJOR, SL_VERSION_MINOR, SL_VERSION_PATCH);
	cr_assert_str_eq(sl_version_string(), want);
	cr_assert(SL_VERSION_NUM(1, 2, 0) > SL_VERSION_NUM(1, 1, 9));
}

/* A config that asks for a field this version does not have is refused,
 * not half obeyed; the same config without it makes a kernel. */
Test(abi, config_with_reserved_field_set_is_refused)
{
	struct sl_config cfg = { 0 };
	sl_kernel *k = (sl_kernel *)&cfg;

	for (size_t i = 0; i < sizeof cfg.reserved / sizeof cfg.reserved[0]; i++) {
		cfg.reserved[i] = 1;
		cr_assert_eq(sl_kernel_new(&cfg, &k), -SL_EINVAL, "reserved[%zu]", i);
		cr_assert_null(k);
		cfg.reserved[i] = 0;
	}
	cr_assert_eq(sl_kernel_new(&cfg, &k), 0);
	sl_kernel_free(k);
	cr_assert_eq(sl_kernel_new(NULL, &k), 0);
	sl_kernel_free(k);
	/* sl_kernel_new(cfg, NULL) is a misuse of the API: an assertion in
	 * the debug builds this test runs in, -SL_EINVAL in release ones. */
}

Test(abi, spawn_with_reserved_field_set_is_refused)
{
	struct sl_spawn how = { .kind = SL_SPAWN_PROCESS };

	how.reserved[2] = 1;
	cr_assert_eq(sl_spawn(K, &how), -SL_EINVAL);
	cr_assert_not(sl_task_exists(K, 1));
	how.reserved[2] = 0;
	cr_assert_gt(sl_spawn(K, &how), 0);
	CHECK();
}

Test(abi, task_info_zeroes_the_reserved_fields)
{
	struct sl_task_info ti;
	int p = proc(0, 1000);

	memset(&ti, 0xa5, sizeof ti);
	cr_assert_eq(sl_task_info(K, p, &ti), 0);
	for (size_t i = 0; i < sizeof ti.reserved / sizeof ti.reserved[0]; i++)
		cr_assert_eq(ti.reserved[i], 0, "reserved[%zu]", i);
	cr_assert_eq(ti.tid, p);
}
