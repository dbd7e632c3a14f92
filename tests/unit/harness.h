/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Force-included into host unit tests and the hypervisor sources they
 * compile.  The hypervisor's libc-like functions are renamed so that they
 * do not clash with the host's, and are the ones under test.
 */
#ifndef TESTS_UNIT_HARNESS_H
#define TESTS_UNIT_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#define memcpy          keel_memcpy
#define memmove         keel_memmove
#define memset          keel_memset
#define memcmp          keel_memcmp
#define strlen          keel_strlen
#define strnlen         keel_strnlen
#define strcmp          keel_strcmp
#define strncmp         keel_strncmp
#define strchr          keel_strchr
#define strrchr         keel_strrchr
#define strlcpy         keel_strlcpy
#define strlcat         keel_strlcat
#define vsnprintf       keel_vsnprintf
#define snprintf        keel_snprintf

#endif
