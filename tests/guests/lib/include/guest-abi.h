/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one includer of Xen's public headers for the test kernels
 * (/usr/include/xen through the build/abi/public symlink).
 */
#ifndef GUEST_ABI_H
#define GUEST_ABI_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

#include <public/xen.h>
#include <public/errno.h>
#include <public/features.h>
#include <public/version.h>
#include <public/memory.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/callback.h>
#include <public/vcpu.h>
#include <public/grant_table.h>
#include <public/physdev.h>
#include <public/platform.h>

_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info is 64 bytes");
_Static_assert(sizeof(struct multicall_entry) == 64, "multicall entry");

#endif /* GUEST_ABI_H */
