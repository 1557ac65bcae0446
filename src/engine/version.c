/*
 * The library's version: what the program runs with, which may be a later
 * minor or patch version of the same major version than the header it was
 * built with (SL_VERSION).  Nothing of the kernel is modelled here.
 */
#include "siglab.h"

#define SL_STR_(x) #x
#define SL_STR(x) SL_STR_(x)

unsigned sl_version(void)
{
	return SL_VERSION;
}

const char *sl_version_string(void)
{
	return SL_STR(SL_VERSION_MAJOR) "." SL_STR(SL_VERSION_MINOR) "." SL_STR(SL_VERSION_PATCH);
}
